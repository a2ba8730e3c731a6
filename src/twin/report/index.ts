/** The self-contained HTML report (inline SVG charts from d3 scales, PNG data URIs). */
export * from './types.js';
export * from './svg.js';
export * from './groups.js';
export * from './html.js';
