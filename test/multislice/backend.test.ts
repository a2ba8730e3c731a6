import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/index.js';
import { type HaadfOptions, createBackend, selectBackend, simulateProbeSignal } from '../../src/multislice/index.js';
import { gpuRoute } from '../../src/multislice/backend/gpujs/index.js';
import { lno210, singleAtom } from './structures.js';

const OPTS: HaadfOptions = { energy_eV: 200e3, semiangle_mrad: 15.07, detector: { inner_mrad: 70, outer_mrad: 180 }, sampling_A: 0.045, sliceThickness_A: 2.5 };

describe('backend registry', () => {
  it('gives the CPU reference for "cpu", and for "auto" on a machine without a real GPU', async () => {
    expect((await createBackend('cpu')).name).toBe('cpu');
    const auto = await createBackend('auto');
    expect(['cpu', 'gpu']).toContain(auto.name);
    auto.dispose();
  });
  it('never falls back silently: "gpu" without a GPU route is an InputError naming backend and saying why; "auto" records the reason (issue 9)', async () => {
    const route = gpuRoute();
    if (route.ok) return; // a machine with a GPU: nothing to refuse
    await expect(selectBackend('gpu')).rejects.toThrow(InputError);
    await expect(selectBackend('gpu')).rejects.toThrow(/^backend.*no GPU route/s);
    const auto = await selectBackend('auto');
    expect(auto.backend.name).toBe('cpu');
    expect(auto.fallbackReason).toBe(route.reason);
    expect(auto.device).toMatch(/^CPU/);
    auto.backend.dispose();
  });
  it('rejects an unknown backend name naming the field', async () => {
    await expect(createBackend('fpga' as never)).rejects.toThrow(InputError);
    await expect(createBackend('fpga' as never)).rejects.toThrow(/^backend/);
  });
});

describe('CPU vs gpu.js backend (gpu.js in its WebAssembly/CPU mode here)', () => {
  it('give the same HAADF signal through the whole pipeline (gpu.js: all slices on the device per probe) within float32 tolerance (1e-5 relative): single Ni atom and a 10 Å LiNiO2 [210] column', async () => {
    const emulated = await selectBackend('gpu', { mode: 'webasm' });
    expect(emulated.device).toMatch(/emulation/);
    emulated.backend.dispose();
    const cases = [{ atoms: singleAtom(28, 5.76, 4), x: 2.88, y: 2.88 }, { atoms: lno210(2, 2), x: 2.878, y: 4.73 }];
    for (const c of cases) {
      const cpu = (await simulateProbeSignal(c.atoms, OPTS, c.x, c.y)).signal;
      const g = await simulateProbeSignal(c.atoms, { ...OPTS, backend: 'gpu', backendOptions: { mode: 'webasm' } }, c.x, c.y);
      expect((g.metadata.backend as { engine: string }).engine).toMatch(/^device-resident/);
      const gpu = g.signal;
      expect(Math.abs(gpu / cpu - 1)).toBeLessThan(1e-5);
    }
  });
});

describe('resident band-pruned probe loop (resident.ts) vs the planar per-probe path (engine.ts + CPU backend)', () => {
  it('give the same signals, thickness series and focal-spread average within 1e-5 relative (float32), on a 128×320 PFFFT grid; ~1 s', async () => {
    const atoms = lno210(2, 2);
    const o: HaadfOptions = { ...OPTS, thicknessSeries_A: [5], focalSpread_A: 20 };
    for (const [x, y] of [[2.878, 4.73], [1.1, 2.2]] as const) {
      const a = await simulateProbeSignal(atoms, { ...o, engine: 'planar' }, x, y);
      const b = await simulateProbeSignal(atoms, o, x, y);
      expect((b.metadata.backend as { engine: string }).engine).toMatch(/^resident/);
      expect((a.metadata.backend as { engine: string }).engine).toMatch(/^planar/);
      a.thicknessSeries.forEach((s, i) => expect(Math.abs(b.thicknessSeries[i]!.signal / s.signal - 1)).toBeLessThan(1e-5));
    }
  });
});
