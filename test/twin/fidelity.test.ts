/** The fidelity table (src/twin/timeline/fidelity.ts) and the onset rules' noise on synthetic series. Runtime: < 0.1 s. */
import { describe, expect, it } from 'vitest';
import { renderContactSheet } from '../../src/twin/imageio/index.js';
import { baselineSd, detectOnsets, detectPooledOnsets, fidelityTable, ONSET_RULES, ruleColumn, ruleThreshold, SEED_TIMELINE, type Onset } from '../../src/twin/timeline/index.js';

const onset = (stage: string, onset_C: number | null, perReplica_C?: (number | null)[]): Onset => ({
  stage, rule: ONSET_RULES.find((r) => r.stage === stage)!.text, observable: 'x', onset_C, after_C: onset_C === null ? null : onset_C - 15,
  ...(onset_C === null ? { note: 'not reached' } : {}), ...(perReplica_C ? { perReplica_C } : {}),
});

describe('fidelity table: each seed stage against the rule table', () => {
  it('every rule names a seed observation; every seed observation after RT has a row; stages without a rule say "not modelled" and carry no number', () => {
    const stages = new Set(SEED_TIMELINE.map((r) => r.stage));
    for (const r of ONSET_RULES) expect(stages.has(r.seed), r.stage).toBe(true);
    const rows = fidelityTable([]);
    expect(new Set(rows.map((r) => r.seedStage))).toEqual(new Set(SEED_TIMELINE.filter((r) => r.stage !== 'initial').map((r) => r.stage)));
    // every seed stage has a rule now (tmEnriched: the pore boundary's TM excess over the bulk)
    expect(rows.filter((r) => r.status === 'not modelled')).toEqual([]);
    expect(rows.find((r) => r.seedStage === 'tmEnriched')).toMatchObject({ stage: 'tmEnriched', definition: 'kmc', status: 'not computed' });
    // a seed stage no rule names gets one "not modelled" row without a number
    const without = fidelityTable([], ONSET_RULES.filter((r) => r.seed !== 'tmEnriched'));
    const enriched = without.filter((r) => r.seedStage === 'tmEnriched');
    expect(enriched).toHaveLength(1);
    expect(enriched[0]).toMatchObject({ stage: null, status: 'not modelled', onset_C: null, withinStep: null });
    // a rule whose observable the run did not compute is "not computed", not a failure
    expect(rows.find((r) => r.stage === 'liSiteRim')).toMatchObject({ status: 'not computed', withinStep: null, onset_C: null });
  });

  it('within one 15 °C step is |onset − seed| ≤ 15 K; early and late say by how much; not reached has no number', () => {
    const rows = fidelityTable([onset('liSiteRim', 190), onset('poreGrowth', 175), onset('rockSaltRim', 280), onset('ni0Li2O', null)]);
    const by = (s: string) => rows.find((r) => r.stage === s)!;
    expect(by('liSiteRim')).toMatchObject({ seed_C: 175, delta_K: 15, withinStep: true, status: 'within one step' });
    expect(by('poreGrowth')).toMatchObject({ seed_C: 200, delta_K: -25, withinStep: false, status: 'early by 25 K' });
    expect(by('rockSaltRim')).toMatchObject({ seed_C: 250, withinStep: false, status: 'late by 30 K' });
    expect(by('ni0Li2O')).toMatchObject({ onset_C: null, withinStep: false, status: 'not reached' });
    // the APB rows sit under the 225 °C observation ("Li-site intensity reaches the APB only now")
    expect(rows.filter((r) => r.seedStage === 'facets').map((r) => r.stage)).toEqual(['facets', 'liSiteApb', 'liSiteApbImage']);
  });

  it('a "holds" stage (APB still in place at 275 °C) is met when its loss is not reached or comes after 260 °C', () => {
    const apb = (o: number | null) => fidelityTable([onset('apbLoss', o)]).find((r) => r.stage === 'apbLoss')!;
    expect(apb(null)).toMatchObject({ seedStage: 'apbStable', seed_C: 275, withinStep: true, status: 'held to the end' });
    expect(apb(265).withinStep).toBe(true);
    expect(apb(250)).toMatchObject({ withinStep: false, status: "lost 25 K before the seed's last sight" });
  });

  it("the replica spread is the median and range of the replicas' own onsets, with how many reached", () => {
    const rows = fidelityTable([onset('liSiteRim', 175, [160, 175, 190, null])]);
    expect(rows.find((r) => r.stage === 'liSiteRim')!.spread).toEqual({ replicas: 4, reached: 3, median_C: 175, min_C: 160, max_C: 190 });
    // end to end through the pooled detection: 2 replicas at 175 and 205 → pooled 175, spread 175–205
    const temps = Array.from({ length: 33 }, (_, i) => 298.15 + 15 * i);
    const a = temps.map((T) => ({ 'tmOnLi.rim': T - 273.15 >= 175 ? 0.1 : 0 }));
    const b = temps.map((T) => ({ 'tmOnLi.rim': T - 273.15 >= 205 ? 0.1 : 0 }));
    const mean = a.map((x, i) => ({ 'tmOnLi.rim': (x['tmOnLi.rim'] + b[i]!['tmOnLi.rim']) / 2 }));
    const f = fidelityTable(detectPooledOnsets({ temperatures_K: temps, values: mean, counts: { 'tmOnLi.rim': 400 }, replicas: 2 }, [a, b])).find((r) => r.stage === 'liSiteRim')!;
    expect(f).toMatchObject({ onset_C: 175, withinStep: true, spread: { replicas: 2, reached: 2, median_C: 190, min_C: 175, max_C: 205 } });
  });
});

describe('image onsets are noise-aware', () => {
  const temps = Array.from({ length: 12 }, (_, i) => 298.15 + 15 * i);
  const rule = ONSET_RULES.find((r) => r.stage === 'liSiteRimImage')!;
  const col = `${rule.observable}.${rule.region}`;
  it('one noisy frame is no onset (the rule needs two frames in a row); a lasting rise is, at its first frame', () => {
    const spike = temps.map((T, i) => ({ [col]: 0.09 + (i === 6 ? 0.05 : 0) }));
    expect(detectOnsets({ temperatures_K: temps, values: spike }, [rule])[0]!.onset_C).toBeNull();
    const rise = temps.map((T, i) => ({ [col]: 0.09 + (i >= 6 ? 0.03 : 0) }));
    expect(detectOnsets({ temperatures_K: temps, values: rise }, [rule])[0]!.onset_C).toBe(115);
  });
  it('pooled over imaged replicas the threshold follows their spread: a rise of 0.03 under SE 0.02 is noise (2 replicas, sd 0.02: 3·√(2·0.02²)/√2 = 0.06)', () => {
    const rise = temps.map((T, i) => ({ [col]: 0.09 + (i >= 6 ? 0.03 : 0) }));
    const sd = temps.map(() => ({ [col]: 0.02 }));
    expect(detectOnsets({ temperatures_K: temps, values: rise, sd, replicas: 2, replicasByColumn: { [col]: 2 } }, [rule])[0]!.onset_C).toBeNull();
    // pooled over 8 imaged replicas the same spread is an SE of 0.02·√2/√8 = 0.01: 3·0.01 = 0.03 → still no onset; 0.04 is
    expect(detectOnsets({ temperatures_K: temps, values: rise, sd, replicas: 1, replicasByColumn: { [col]: 8 } }, [rule])[0]!.onset_C).toBeNull();
    const rise4 = temps.map((T, i) => ({ [col]: 0.09 + (i >= 6 ? 0.04 : 0) }));
    expect(detectOnsets({ temperatures_K: temps, values: rise4, sd, replicas: 1, replicasByColumn: { [col]: 8 } }, [rule])[0]!.onset_C).toBe(115);
  });
});

describe('one imaged series: the noise is its own baseline scatter (frames before the candidate onset)', () => {
  // 25, 40, …, 190 °C; baseline 0.100, 0.104, 0.096, 0.100, 0.100 (frames 0–4), then +0.02, +0.03, +0.03 …
  const temps = Array.from({ length: 12 }, (_, i) => 298.15 + 15 * i);
  const rule = ONSET_RULES.find((r) => r.stage === 'liSiteRimImage')!;
  const col = ruleColumn(rule);
  const v = [0.1, 0.104, 0.096, 0.1, 0.1, 0.12, 0.13, 0.13, 0.13, 0.13, 0.13, 0.13];
  const values = v.map((x) => ({ [col]: x }));
  it('baselineSd by hand: frames 0–4 have mean 0.1, squared deviations 0, 16e-6, 16e-6, 0, 0 → s² = 32e-6/4 = 8e-6, s = 0.0028284', () => {
    expect(baselineSd(values, col, 5, 4)).toBeCloseTo(Math.sqrt(8e-6), 12);
    // frames 0–3: s² = 32e-6/3
    expect(baselineSd(values, col, 4, 4)).toBeCloseTo(Math.sqrt(32e-6 / 3), 12);
    // fewer finite frames than asked: no estimate (NaN frames are not counted)
    expect(baselineSd(values, col, 3, 4)).toBeNull();
    expect(baselineSd([...values.slice(0, 3), { [col]: NaN }, values[4]!], col, 5, 4)).toBeCloseTo(Math.sqrt(32e-6 / 3), 12);
  });
  it('the onset is the first frame whose change and the next one\'s exceed max(0.01, 3·√2·s): 100 °C, threshold 3·√2·0.0028284 = 0.012', () => {
    const [o] = detectOnsets({ temperatures_K: temps, values }, [rule]);
    expect(o).toMatchObject({ onset_C: 100, after_C: 85 });
    expect(o!.threshold).toBeCloseTo(0.012, 9);
    // the onset frame is frame 5: its noise was measured over the 5 frames before it
    expect(o!.baselineFrames).toBe(5);
    // a pooled series (replica spread) and a KMC rule carry no baseline count
    expect(detectOnsets({ temperatures_K: temps, values, replicas: 2 }, [rule])[0]!.baselineFrames).toBeUndefined();
    expect(ruleThreshold(rule, { temperatures_K: temps, values }, 6, 5)).toBeCloseTo(0.012, 9);
    // the frames' own SE (a per-frame strip scatter of 0.01, the rule before) is not its noise on one series:
    // with it, 3·√(0.01² + 0.01²) = 0.042 > 0.03 would read no onset at all
    expect(detectOnsets({ temperatures_K: temps, values, sd: temps.map(() => ({ [col]: 0.01 })) }, [rule])[0]!.onset_C).toBe(100);
  });
  it('fewer than 4 baseline frames: read as without a baseline (the frames\' own SE where given, else the floor 0.01)', () => {
    const early = [0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2].map((x) => ({ [col]: x }));
    expect(ruleThreshold(rule, { temperatures_K: temps, values: early }, 3)).toBe(0.01);
    // frame 3 has 3 frames before it, fewer than the 4 a measured noise needs: a provisional onset (analyse warns)
    expect(detectOnsets({ temperatures_K: temps, values: early }, [rule])[0]).toMatchObject({ onset_C: 70, threshold: 0.01, baselineFrames: 3 });
    // with a per-frame SE of 0.03: 3·√(0.03² + 0.03²) = 0.127 > 0.1 at 70 °C; at 85 °C the baseline (0.1, 0.1, 0.1,
    // 0.2) has s = 0.05, 3·√2·0.05 = 0.21 > 0.1: the step right after RT is read by neither
    const sd = temps.map(() => ({ [col]: 0.03 }));
    expect(ruleThreshold(rule, { temperatures_K: temps, values: early, sd }, 3)).toBeCloseTo(3 * Math.sqrt(2 * 0.03 ** 2), 12);
    expect(detectOnsets({ temperatures_K: temps, values: early, sd }, [rule])[0]!.onset_C).toBeNull();
  });
  it('with the frames\' doses, the baseline noise scales as shot noise (variance ∝ 1/dose): worked by hand', () => {
    // doses 4, 4, 2, 2 (weights D_j/D₀ = 1, 1, 0.5, 0.5) on 0.100, 0.104, 0.096, 0.100: weighted mean 0.302/3,
    // Σ w (v − m)² = 68e-6/3, s² = that/(4 − 1) = 68e-6/9 (the variance at the first frame's dose)
    const dose = [4, 4, 2, 2, 2, 2];
    const vals = [0.1, 0.104, 0.096, 0.1, 0.2, 0.2].map((x) => ({ [col]: x }));
    expect(baselineSd(vals, col, 4, 4, dose)).toBeCloseTo(Math.sqrt(68e-6 / 9), 12);
    // frame 4 at dose 2 against frame 0 at dose 4: SE = s·√(1 + 4/2), threshold 3·√3·√(68e-6/9) = √(2.04e-4) = 0.014283
    const t6 = temps.slice(0, 6);
    expect(ruleThreshold(rule, { temperatures_K: t6, values: vals, dose }, 4, 4)).toBeCloseTo(Math.sqrt(2.04e-4), 12);
    // equal doses give the unweighted √2·s; an unknown dose in the list counts as no doses at all
    expect(ruleThreshold(rule, { temperatures_K: t6, values: vals, dose: [3, 3, 3, 3, 3, 3] }, 4, 4)).toBeCloseTo(ruleThreshold(rule, { temperatures_K: t6, values: vals }, 4, 4)!, 15);
    expect(ruleThreshold(rule, { temperatures_K: t6, values: vals, dose: [4, 4, NaN, 2, 2, 2] }, 4, 4)).toBe(ruleThreshold(rule, { temperatures_K: t6, values: vals }, 4, 4));
  });
  it('a slow drift of the baseline raises the threshold (no onset from the drift)', () => {
    // +0.004 per frame (+0.044 by 190 °C); frames 1–3 read with a per-frame SE of 0.01 (3·√2·0.01 = 0.042 > 0.012),
    // from frame 4 on the baseline's SD of a ramp, 0.004·√(k(k+1)/12): 3·√2 times it exceeds the change 0.004·k
    const drift = temps.map((T, i) => ({ [col]: 0.1 + 0.004 * i }));
    const sd = temps.map(() => ({ [col]: 0.01 }));
    expect(detectOnsets({ temperatures_K: temps, values: drift, sd }, [rule])[0]!.onset_C).toBeNull();
  });
});

describe("a replica's own image onset is read as a run with that one imaged replica reads it", () => {
  const temps = Array.from({ length: 12 }, (_, i) => 298.15 + 15 * i);
  const rule = ONSET_RULES.find((r) => r.stage === 'liSiteRimImage')!;
  const col = `${rule.observable}.${rule.region}`;
  // replica a: the series above (onset 100 °C); replica b: the same baseline, a rise of 0.011 (over the floor 0.01, under its 3·√2·s = 0.012)
  const base = [0.1, 0.104, 0.096, 0.1, 0.1];
  const a = [...base, 0.12, 0.13, 0.13, 0.13, 0.13, 0.13, 0.13].map((x) => ({ [col]: x }));
  const b = [...base, 0.111, 0.111, 0.111, 0.111, 0.111, 0.111, 0.111].map((x) => ({ [col]: x }));
  const mean = a.map((x, i) => ({ [col]: (x[col]! + b[i]![col]!) / 2 }));
  const pooled = { temperatures_K: temps, values: mean, sd: temps.map(() => ({ [col]: 0 })), replicas: 2, replicasByColumn: { [col]: 2 } };
  it('each replica from its own baseline: a at 100 °C, b not reached; the same as each alone', () => {
    const [o] = detectPooledOnsets(pooled, [a, b], [rule]);
    expect(o!.perReplica_C).toEqual([100, null]);
    expect(detectOnsets({ temperatures_K: temps, values: b }, [rule])[0]!.onset_C).toBeNull();
    // a per-frame measurement SE given for the replicas does not change a baseline rule's reading
    const se = temps.map(() => ({ [col]: 0.01 }));
    expect(detectPooledOnsets(pooled, [a, b], [rule], [se, se])[0]!.perReplica_C).toEqual([100, null]);
  });
  it('replicas that were not imaged count neither as reached nor as replicas in the spread (1 of 1 imaged, not 1 of 3)', () => {
    const none = temps.map(() => ({}));
    const [o] = detectPooledOnsets({ ...pooled, values: a, replicasByColumn: { [col]: 1 } }, [a, none, none], [rule]);
    expect(o).toMatchObject({ onset_C: 100, perReplica_C: [100, null, null], perReplicaNotComputed: 2 });
    expect(fidelityTable([o!]).find((r) => r.stage === 'liSiteRimImage')!.spread).toEqual({ replicas: 1, reached: 1, median_C: 100, min_C: 100, max_C: 100 });
    // every replica imaged: no count, the spread over all of them
    expect(detectPooledOnsets(pooled, [a, b], [rule])[0]).not.toHaveProperty('perReplicaNotComputed');
  });
  it('a one-replica spread rule without a baseline keeps the replica\'s own SE, or the floor without one', () => {
    const plain = { ...rule, threshold: { kind: 'spread' as const, minRise: 0.01, sigmas: 3, persist: 2 } };
    const se = temps.map(() => ({ [col]: 0.01 }));
    // a: +0.02, +0.03 against 3·√2·0.01 = 0.042: no onset with its SE; with the floor 0.01, 100 °C
    expect(detectPooledOnsets(pooled, [a, a], [plain], [se, undefined])[0]!.perReplica_C).toEqual([null, 100]);
  });
});

describe('contact sheet', () => {
  it('small frames are upscaled to readable tiles, each with a white scale bar in its bottom-left corner', () => {
    const W = 40, H = 30;
    const frame = { data: new Float32Array(W * H).map((_, i) => (i % 7) / 7), caption: '175' };
    const s = renderContactSheet([frame, frame], W, H, { columns: 2, minTileWidth: 240, pixel_A: 0.25, gap: 4 });
    // 40 px → ×6 = 240 px tiles
    expect(s.width).toBe(2 * 240 + 3 * 4);
    // field 40 × 0.25 = 10 Å → bar 2 Å = 8 original px = 48 tile px, 2·fontScale = 4 px tall, 3·2 px from the corner
    const row = 4 + 6 * H - 6 - 4 + 1;
    const line = s.pixels.subarray(row * s.width + 4, row * s.width + 4 + 60);
    const white = [...line].filter((v) => v === 255).length;
    expect(white).toBe(48);
  });
});
