import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('cathode-twin bench kmc', () => {
  it('prints events/s and bytes/site as JSON, with the SPPARKS anchor at the nearest size', () => {
    const r = cli(['bench', 'kmc', '--model', 'vacancy-fcc', '--sites', '10000', '--events', '5000', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.model).toBe('vacancy-fcc');
    expect(out.sites).toBe(10976);
    expect(out.eventsPerSecond).toBeGreaterThan(0);
    expect(out.bytesPerSite).toBeLessThanOrEqual(64);
    expect(out.spparks_cr_eventsPerSecond).toBe(411e3);
  });

  it('exits 2 with a message naming --events for a bad event count', () => {
    const r = cli(['bench', 'kmc', '--events', '-3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--events/);
  });
});
