/** The self-contained HTML report (inline SVG charts from d3 scales, PNG data URIs). */
export * from './types.js';
export { REGION_COLOURS_BY_NAME, REGION_LABELS, regionColour } from './palette.js';
export * from './svg.js';
export * from './units.js';
export * from './groups.js';
export * from './html.js';
