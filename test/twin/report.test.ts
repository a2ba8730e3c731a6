import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode as decodePng } from 'fast-png';
import { encodePng16 } from '../../src/twin/imageio/index.js';
import { renderReport, type ReportData } from '../../src/twin/report/index.js';
import { detectOnsets } from '../../src/twin/timeline/index.js';

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
    return { temperature_K: T, time_s: 450 * k, png: encodePng16(img, W, W).png };
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
