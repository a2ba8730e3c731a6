import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode as decodePng } from 'fast-png';
import { encodePng16 } from '../../src/twin/imageio/index.js';
import { chartGroups, formatPressure_Pa, formatProtocol, lineChart, REGION_COLOURS_BY_NAME, renderReport, type ReportData } from '../../src/twin/report/index.js';
import { REGION_COLOURS } from '../../src/twin/analyse/index.js';
import { detectOnsets, fidelityTable, ONSET_RULES } from '../../src/twin/timeline/index.js';

function chromiumPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const CHROMIUM = chromiumPath();
const dir = mkdtempSync(join(tmpdir(), 'report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Synthetic but shaped like a run: sigmoids in T with onsets at the seed's temperatures. */
export function fixture(): ReportData {
  const temps = Array.from({ length: 33 }, (_, i) => 298.15 + Math.min(475, 15 * i));
  const sig = (T: number, onset_C: number) => 1 / (1 + Math.exp(-(T - 273.15 - onset_C - 15) / 8));
  const observables = temps.map((T) => ({
    'tmOnLi.rim': 0.03 + 0.4 * sig(T, 175),
    'tmOnLi.apb': 0.03 + 0.4 * sig(T, 225),
    'tmOnLi.bulk': 0.03 + 0.05 * sig(T, 350),
    'vO.rim': 0.2 * sig(T, 170),
    'rockSalt.rim': sig(T, 250),
    'ni0.all': 0.05 * sig(T, 470),
    poreArea_A2: 800 * (1 + 0.3 * sig(T, 200)),
    facetAnisotropy: 0.5 * sig(T, 225),
    roughness003_A: 2 + 2 * sig(T, 225),
    'liMRatio.rim': 0.2 + 0.6 * sig(T, 175),
  }));
  const W = 24;
  const frames = temps.slice(0, 6).map((T, k) => {
    const img = new Float32Array(W * W).map((_, i) => Math.sin(i / 3) + k * 0.1);
    return { temperature_K: T, time_s: 450 * k, png: encodePng16(img, W, W).png, fieldWidth_A: W * 0.25 };
  });
  const y = Array.from({ length: 60 }, (_, i) => i * 0.25);
  const profiles = [298.15, 448.15, 773.15].map((T, k) => ({
    region: 'rim',
    temperature_K: T,
    y_A: y,
    intensity: y.map((v) => 0.05 + 0.04 * Math.cos((2 * Math.PI * v) / 4.733) * (1 - 0.3 * k)),
    mPhase_A: 0,
    period_A: 4.733,
    liSite: 0.01 + 0.01 * k,
    mSite: 0.09,
  }));
  return {
    title: 'seed-insitu-heating',
    description: 'fixture <with> "markup" & ampersands',
    parameters: [['protocol', '25 → 500 °C, 15 K steps']],
    temperatures_K: temps,
    observables,
    frames,
    profiles,
    onsets: detectOnsets({ temperatures_K: temps, values: observables }),
    fidelity: fidelityTable(detectOnsets({ temperatures_K: temps, values: observables })),
    checks: [{ stage: 'liSiteRim', text: 'Li-site intensity at the pore rim rises at 175 ± 15 °C', pass: true, note: 'onset 175 °C' }],
    notes: ['a note'],
    timings_s: { kmc: 1.5, imaging: 2.5, writing: 0.2 },
    provenance: { 'cathode-twin': '0.1.0', seed: 1 },
  };
}

describe('report.html', () => {
  const html = renderReport(fixture());

  it('is self-contained: no scripts, no external URLs, images as data URIs', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect((html.match(/src="data:image\/png;base64,/g) ?? []).length).toBe(6);
  });

  it('escapes text and has one chart per observable group, each with non-empty series paths', () => {
    expect(html).toContain('fixture &lt;with&gt; &quot;markup&quot; &amp; ampersands');
    const charts = html.match(/<svg class="chart"/g) ?? [];
    expect(charts.length).toBeGreaterThanOrEqual(8);
    const paths = [...html.matchAll(/<path class="series" d="([^"]*)"/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThanOrEqual(12);
    for (const d of paths) expect(d).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
  });

  it('marks the seed observation temperatures and shows the seed timeline beside the simulated onsets', () => {
    expect((html.match(/class="marker"/g) ?? []).length).toBeGreaterThan(20);
    expect(html).toContain('Ni metal nanoparticles');
    // The fixture's rim onset is ~190 °C by construction (sigmoid centre 190 °C, threshold 0.05).
    expect(html).toMatch(/<b>1[6-9]\d °C<\/b>/);
  });

  it('the fidelity table has a row per seed stage and rule, says "not modelled" without a number, and cites the paper, not the design notes', () => {
    const table = (h: string) => h.slice(h.indexOf('<table class="data timeline">'), h.indexOf('</table>', h.indexOf('<table class="data timeline">')));
    const rows = table(html);
    expect(rows).toContain('TM-enriched, nanoparticle-like');
    expect(rows).not.toContain('not modelled');
    // a seed stage no rule names (here: the table without its tmEnriched rule) reads "not modelled", with no number
    const f = fixture();
    const bare = table(renderReport({ ...f, fidelity: fidelityTable(f.onsets, ONSET_RULES.filter((r) => r.seed !== 'tmEnriched')) }));
    const enriched = bare.split('<tr').find((r) => r.includes('TM-enriched'))!;
    expect(enriched).toContain('not modelled');
    expect(enriched).not.toMatch(/<b>\d/);
    expect(rows).toMatch(/within ±15 K/);
    expect(html).toContain('Pokle et al., ACS Appl. Mater. Interfaces 12, 57047 (2020)');
    expect(html).not.toMatch(/MODEL\.md/);
  });

  it('every frame thumbnail carries a scale bar whose width is its length over the field width (1-2-5 rule: 1 Å of a 6 Å field = 16.67 %)', () => {
    const bars = [...html.matchAll(/<div class="scalebar" style="width:([\d.]+)%"><span>([^<]+)<\/span>/g)];
    expect(bars.length).toBe(6);
    // field 24 px × 0.25 Å = 6 Å → a fifth is 1.2 Å → the 1-2-5 length 1 Å → 16.67 % of the width
    for (const b of bars) {
      expect(+b[1]!).toBeCloseTo(16.67, 1);
      expect(b[2]).toBe('1 Å');
    }
  });
});

describe('report pictures as a microscopist reads them', () => {
  const html = renderReport(fixture());
  it('one colour per region: every chart draws the rim, APB zone and bulk in the palette colour, and analyse overlays use the same definition', () => {
    const groups = chartGroups(fixture().observables);
    for (const g of groups) for (const k of g.keys) {
      const region = k.key.split('.')[1];
      if (region && region in REGION_COLOURS_BY_NAME && k.key !== 'apb.x_A') expect(k.color, k.key).toBe(REGION_COLOURS_BY_NAME[region]);
    }
    // analyse's overlay table (by code: other, pore, rim, apb, bulk) is derived from the same palette
    expect(REGION_COLOURS.slice(1)).toEqual(['pore', 'rim', 'apb', 'bulk'].map((r) => REGION_COLOURS_BY_NAME[r]));
    expect(new Set(Object.values(REGION_COLOURS_BY_NAME)).size).toBe(Object.keys(REGION_COLOURS_BY_NAME).length);
  });

  it('a region with no sites is shown as n/a, not as a flat 0', () => {
    // tmOnLi has rim, APB and bulk; the image ratio exists only for the rim (no APB pixels in the field)
    const obs = fixture().observables.map((o) => ({ ...o, 'liMRatio.apb': NaN }));
    const g = chartGroups(obs).find((x) => x.title.startsWith('Li-site / M-site'))!;
    expect(g.keys.map((k) => k.key)).toEqual(['liMRatio.rim']);
    expect(g.missing).toEqual(['apb', 'bulk']);
    const html = renderReport({ ...fixture(), observables: obs });
    expect(html).toContain('APB zone: n/a (no sites)');
  });

  it('the legend sits right of the plot area, never over a curve', () => {
    const svg = lineChart([{ label: 'pore rim', x: [0, 1, 2], y: [0, 1, 2] }, { label: 'a much longer legend label', x: [0, 1, 2], y: [2, 1, 0] }], { title: 't', xLabel: 'x', yLabel: 'y' });
    const plotRight = Math.max(...[...svg.matchAll(/<line x1="([\d.]+)" x2="([\d.]+)" y1="[\d.]+" y2="[\d.]+" stroke="#333"\/>/g)].map((m) => Math.max(+m[1]!, +m[2]!)));
    const pts = [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => +m[1]!);
    const legendX = [...svg.matchAll(/<g class="legend"><line x1="([\d.]+)"/g)].map((m) => +m[1]!);
    expect(legendX.length).toBe(2);
    for (const x of legendX) expect(x).toBeGreaterThan(plotRight);
    for (const x of pts) expect(x).toBeLessThanOrEqual(plotRight + 0.1);
  });

  it("the scenario header reads in the user's units (°C, K/s, min), not internal names", () => {
    const line = formatProtocol('staircase', { start_K: 298.15, end_K: 773.15, rate_KPerS: 0.1, step_K: 15, hold_s: 300, acquire: 'end-of-hold' });
    expect(line).toBe('staircase: start 25 °C, end 500 °C, rate 0.1 K/s, step 15 K, hold 5 min, acquire end-of-hold');
    expect(line).not.toMatch(/_K|KPerS|_s\b/);
    expect([formatPressure_Pa(1.2e-5), formatPressure_Pa(100), formatPressure_Pa(1e5)]).toEqual(['1.2e-5 Pa', '100 Pa', '1e5 Pa']);
  });

  it.skipIf(!CHROMIUM)('renders in headless Chromium with no console errors, non-empty plots, and a non-blank screenshot (skipped: no `chromium` on PATH)', async () => {
    const { chromium } = await import('playwright-core');
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) errors.push(`network request: ${r.url()}`);
      });
      await page.goto(`file://${file}`);
      expect(errors).toEqual([]);
      const sizes = await page.$$eval('svg.chart path.series', (ps) => ps.map((p) => (p as unknown as { getBBox(): { width: number; height: number } }).getBBox()).map((b) => b.width * b.height + b.width + b.height));
      expect(sizes.length).toBeGreaterThan(10);
      expect(sizes.every((s) => s > 0)).toBe(true);
      const imgs = await page.$$eval('img', (is) => is.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth));
      expect(imgs.every((w) => w === 24)).toBe(true);
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: false });
      const png = decodePng(new Uint8Array(readFileSync(shot)));
      // Count non-white pixels: text, lines and plots must cover a visible share of the page.
      const ch = png.channels;
      let ink = 0;
      for (let i = 0; i < png.width * png.height; i++) if (png.data[i * ch]! < 200) ink++;
      expect(ink / (png.width * png.height)).toBeGreaterThan(0.01);
      if (process.env.REPORT_SCREENSHOT) await page.screenshot({ path: process.env.REPORT_SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
