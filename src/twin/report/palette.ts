/**
 * THE colours of the twin's pictures: one per region (the pore, its rim, the APB zone, the bulk, and
 * `all` matter), the same in every chart of `run`'s and `analyse`'s reports and in `analyse`'s overlays
 * (src/twin/analyse/overlay.ts takes its region outlines from here), and a series palette for
 * everything that is not a region. Region colours were chosen to read both on white charts and as
 * outlines on grey HAADF frames (ColorBrewer Dark2/Set1 hues; no white or pale yellow).
 */

/** Region → colour (hex). */
export const REGION_COLOURS_BY_NAME: Readonly<Record<string, string>> = Object.freeze({
  pore: '#d4a000',
  rim: '#ff7f00',
  apb: '#e7298a',
  bulk: '#1f78b4',
  all: '#4d4d4d',
});

/** Region → label in pictures and legends. */
export const REGION_LABELS: Readonly<Record<string, string>> = Object.freeze({ pore: 'pore', rim: 'pore rim', apb: 'APB zone', bulk: 'bulk', all: 'all' });

/** Colours for series that are not regions (temperatures of profiles, facet statistics, drift…). */
export const PALETTE: readonly string[] = Object.freeze(['#1b9e77', '#7570b3', '#66a61e', '#a6761d', '#e6ab02', '#666666', '#17becf', '#8c564b']);

/** The colour of a region (an InputError-free lookup: unknown names get the `all` grey). */
export function regionColour(region: string): string {
  return REGION_COLOURS_BY_NAME[region] ?? REGION_COLOURS_BY_NAME.all!;
}
