/**
 * O coordination at the pore surface through the seed protocol (issue 14: does the pore rim densify or hollow
 * out?). The seed scenario through the forward model (`simulateScenario`, species kept), R replicas; per frame,
 * summed over the replicas and divided by R (per-replica means):
 *
 * - surface cations: occupied cation sites (Li, Ni, Co, Mn) with an empty octahedron (a VOID cation site) among
 *   their 12 cation neighbours, by their number of O neighbours (0–6);
 * - O-starved: those with < 3 O; "→ O-rich" the O-starved ones with an O-rich empty octahedron (≥ 3 O) next to
 *   them, the only hop a surface-diffusion gate with one proper surface octahedron (≥ 3 O) at either end
 *   would add for them;
 * - O-rich empty octahedra: VOID cation sites with ≥ 3 O (the targets of surface cation diffusion);
 * - SCD pairs open: (surface cation, empty octahedron) pairs with ≥ 3 O at both ends (rates.ts `swapPattern`);
 * - Li share: the fraction of the O-starved surface cations that are Li;
 * - no O: occupied cation sites of the whole lamella with no O neighbour;
 * - the O-starved cations' anion neighbours (O / V_O / VOID) and cation neighbours (occupied with ≥ 3 O,
 *   occupied with < 3 O, VOID), per O-starved cation.
 *
 *   nice npx tsx bench/rim-coordination.ts [--size full|ci] [--replicates 2] [--workers 2] [--seed N] [--end "325 degC"]
 */
import { Species } from '../src/lattice/species.js';
import { EVENT_NAMES, fromSiteLattice, neighbour1, neighbour2 } from '../src/kinetics/ncm/index.js';
import { simulateScenario } from '../src/twin/simulate/index.js';
import { scenario } from './timeline.js';

function arg(name: string, def?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

const OCCUPIED = new Uint8Array(16);
for (const s of [Species.LI, Species.NI2, Species.NI3, Species.NI4, Species.CO, Species.MN]) OCCUPIED[s] = 1;

async function main(): Promise<void> {
  const size = arg('size', 'full')!;
  const R = Number(arg('replicates', '2'));
  const s = scenario(size, arg('end', '325 degC'));
  const seed = arg('seed') !== undefined ? Number(arg('seed')) : s.seed;
  const r = await simulateScenario(s, { replicates: R, workers: Number(arg('workers', '2')), images: 'none', seed, keepSpecies: true });
  const lat = fromSiteLattice(r.lamella.lattice);
  const nO = (sp: Uint8Array, x: number) => {
    let c = 0;
    for (let q = 0; q < 6; q++) {
      const a = neighbour1(lat, x, q);
      if (a >= 0 && sp[a] === Species.O) c++;
    }
    return c;
  };
  const f1 = (x: number) => (x / R).toFixed(x / R < 10 ? 1 : 0);
  const lines: string[] = [];
  for (const fr of r.frames) {
    const T = fr.temperature_K - 273.15;
    if (T < 144) continue;
    const byO = new Array<number>(7).fill(0);
    let starved = 0, starvedLi = 0, starvedToRich = 0, richVoid = 0, open = 0, noO = 0;
    const an = { o: 0, vo: 0, void: 0 }, cat = { rich: 0, poor: 0, void: 0 };
    for (const sp of fr.species!) {
      const o = new Uint8Array(lat.n);
      for (let x = 0; x < lat.n; x++) if (!lat.isAnion[x]) o[x] = nO(sp, x);
      for (let x = 0; x < lat.n; x++) {
        if (lat.isAnion[x]) continue;
        if (sp[x] === Species.VOID && o[x]! >= 3) richVoid++;
        if (!OCCUPIED[sp[x]!]) continue;
        if (o[x] === 0) noO++;
        let surface = false, rich = false;
        for (let k = 0; k < 12; k++) {
          const t = neighbour2(lat, x, k);
          if (t < 0 || sp[t] !== Species.VOID) continue;
          surface = true;
          if (o[t]! >= 3) rich = true;
          if (o[t]! >= 3 && o[x]! >= 3) open++;
        }
        if (!surface) continue;
        byO[o[x]!] = byO[o[x]!]! + 1;
        if (o[x]! >= 3) continue;
        starved++;
        if (sp[x] === Species.LI) starvedLi++;
        if (rich) starvedToRich++;
        for (let q = 0; q < 6; q++) {
          const a = neighbour1(lat, x, q);
          if (a < 0) continue;
          if (sp[a] === Species.O) an.o++;
          else if (sp[a] === Species.VAC_O) an.vo++;
          else if (sp[a] === Species.VOID) an.void++;
        }
        for (let k = 0; k < 12; k++) {
          const t = neighbour2(lat, x, k);
          if (t < 0) continue;
          if (sp[t] === Species.VOID) cat.void++;
          else if (OCCUPIED[sp[t]!]) o[t]! >= 3 ? cat.rich++ : cat.poor++;
        }
      }
    }
    const per = (v: number) => (starved ? (v / starved).toFixed(2) : '—');
    lines.push(`| ${T.toFixed(0)} | ${byO.map(f1).join(' / ')} | ${f1(starved)} | ${per(starvedLi)} | ${f1(starvedToRich)} | ${f1(richVoid)} | ${f1(open)} | ${f1(noO)} | ${per(an.o)} / ${per(an.vo)} / ${per(an.void)} | ${per(cat.rich)} / ${per(cat.poor)} / ${per(cat.void)} |`);
  }
  const kinds = Object.entries(r.events.byKind).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${f1(v)}`).join(', ');
  process.stdout.write(
    `size ${size}, ${R} replicas (per-replica means), seed ${seed}, to ${arg('end', '325 degC')}; events per replica: ${kinds}; event names: ${EVENT_NAMES.slice(1).join(', ')}\n\n` +
      '| T °C | surface cations by O neighbours 0 / 1 / … / 6 | O-starved (< 3 O) | Li share of the O-starved | O-starved next to an O-rich empty octahedron | O-rich empty octahedra (≥ 3 O) | SCD pairs open (≥ 3 O both ends) | cations with no O | O-starved: anion nbrs O / V_O / VOID | O-starved: cation nbrs occupied ≥ 3 O / occupied < 3 O / VOID |\n|---|---|---|---|---|---|---|---|---|---|\n' +
      `${lines.join('\n')}\n`,
  );
}

if (process.argv[1]?.endsWith('rim-coordination.ts')) await main();
