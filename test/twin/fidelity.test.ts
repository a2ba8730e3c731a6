/** The fidelity table (src/twin/timeline/fidelity.ts) on synthetic onsets. Runtime: < 0.1 s. */
import { describe, expect, it } from 'vitest';
import { renderContactSheet } from '../../src/twin/imageio/index.js';
import { detectOnsets, detectPooledOnsets, fidelityTable, ONSET_RULES, SEED_TIMELINE, type Onset } from '../../src/twin/timeline/index.js';

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
    const enriched = rows.filter((r) => r.seedStage === 'tmEnriched');
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
    const spike = temps.map((T, i) => ({ [col]: 0.09 + (i === 3 ? 0.05 : 0) }));
    expect(detectOnsets({ temperatures_K: temps, values: spike }, [rule])[0]!.onset_C).toBeNull();
    const rise = temps.map((T, i) => ({ [col]: 0.09 + (i >= 6 ? 0.03 : 0) }));
    expect(detectOnsets({ temperatures_K: temps, values: rise }, [rule])[0]!.onset_C).toBe(115);
  });
  it('the threshold follows the frames\' standard error: a rise of 0.03 under SE 0.02 per frame is noise (3·√2·0.02 = 0.085)', () => {
    const rise = temps.map((T, i) => ({ [col]: 0.09 + (i >= 6 ? 0.03 : 0) }));
    const sd = temps.map(() => ({ [col]: 0.02 }));
    expect(detectOnsets({ temperatures_K: temps, values: rise, sd }, [rule])[0]!.onset_C).toBeNull();
    // pooled over 8 imaged replicas the same spread is an SE of 0.02/√8 per frame: 3·√2·0.0071 = 0.030 → still no onset; 0.04 is
    const rise4 = temps.map((T, i) => ({ [col]: 0.09 + (i >= 6 ? 0.04 : 0) }));
    expect(detectOnsets({ temperatures_K: temps, values: rise4, sd, replicas: 1, replicasByColumn: { [col]: 8 } }, [rule])[0]!.onset_C).toBe(115);
  });
});

describe("a replica's own image onset is read with its own measurement noise", () => {
  const temps = Array.from({ length: 12 }, (_, i) => 298.15 + 15 * i);
  const rule = ONSET_RULES.find((r) => r.stage === 'liSiteRimImage')!;
  const col = `${rule.observable}.${rule.region}`;
  // two imaged replicas, each rising by 0.02 from frame 3 (70 °C) on; each frame's own strip SE 0.01
  const rep = temps.map((T, i) => ({ [col]: 0.09 + (i >= 3 ? 0.02 : 0) }));
  const se = temps.map(() => ({ [col]: 0.01 }));
  const pooled = { temperatures_K: temps, values: rep, sd: temps.map(() => ({ [col]: 0 })), replicas: 2, replicasByColumn: { [col]: 2 } };
  it('with its noise, a replica reads as a one-replica run does: 0.02 < 3·√2·0.01 = 0.042 is no onset', () => {
    const [o] = detectPooledOnsets(pooled, [rep, rep], [rule], [se, se]);
    expect(o!.perReplica_C).toEqual([null, null]);
    // the same replica as a run of its own (one imaged replica: its SE is the rule's noise) agrees
    expect(detectOnsets({ temperatures_K: temps, values: rep, sd: se }, [rule])[0]!.onset_C).toBeNull();
  });
  it('without it, the threshold is the floor 0.01 and the same rise reads at its first frame (70 °C)', () => {
    const [o] = detectPooledOnsets(pooled, [rep, rep], [rule]);
    expect(o!.perReplica_C).toEqual([70, 70]);
  });
  it('a replica without noise (not imaged, or a KMC column) keeps the floor beside one with noise', () => {
    const [o] = detectPooledOnsets(pooled, [rep, rep], [rule], [se, undefined]);
    expect(o!.perReplica_C).toEqual([null, 70]);
  });
  it('replicas that were not imaged count neither as reached nor as replicas in the spread (1 of 1 imaged, not 1 of 3)', () => {
    const none = temps.map(() => ({}));
    const [o] = detectPooledOnsets({ ...pooled, replicasByColumn: { [col]: 1 } }, [rep, none, none], [rule]);
    expect(o).toMatchObject({ perReplica_C: [70, null, null], perReplicaNotComputed: 2 });
    expect(fidelityTable([o!]).find((r) => r.stage === 'liSiteRimImage')!.spread).toEqual({ replicas: 1, reached: 1, median_C: 70, min_C: 70, max_C: 70 });
    // every replica imaged: no count, the spread over all of them
    expect(detectPooledOnsets(pooled, [rep, rep], [rule])[0]).not.toHaveProperty('perReplicaNotComputed');
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
