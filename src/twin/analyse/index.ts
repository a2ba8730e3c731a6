/**
 * Quantitative analysis of atomic-resolution image series, the same on experimental and simulated frames:
 * lattice from Fourier peaks, columns (lattice-guided + local maxima) refined by joint 2D Gaussian fits, sublattices
 * (layer phase for a layered zone, basis position otherwise), regions (pore, rim, APB zone, bulk) and pore facets,
 * Li-site/M-site ratios and inset profiles, rigid registration with rotation, onsets by run's rule table.
 *
 * @example
 *   const a = analyseFrame({ data, width, height }, { pixelX_A: 0.25, intensity: 'fraction' }, { zone: '210' });
 *   a.observables['liMRatio.rim']; a.columns.x_A; a.regions.facets.roughness003_A;
 *   const s = await analyseSeries({ frames, width, height, meta }, calibration, { zone: '210', workers: 2 });
 *   s.onsets; // the run's onset rules applied to the image observables
 */
export { analyseFrame, FRAME_OBSERVABLES, type AnalyseOptions, type Calibration, type ColumnTable, type FrameAnalysis, type FrameImage, type RegionRatio, type SublatticeSummary } from './frame.js';
export { analyseSeries, type SeriesAnalysis, type SeriesFrameMeta, type SeriesInput, type SeriesOptions } from './series.js';
export { estimateLattice, braggPeaks, reduceBasis, dual, type LatticeEstimate, type PixelLattice, type Vec2 } from './lattice.js';
export { ANALYSE_ZONES, zoneCell, LAYER_SUBLATTICES, type AnalyseZone, type ZoneCell } from './layers.js';
export { Region, REGION_NAMES, distanceTransform, poreFacets, type PoreFacets } from './regions.js';
export { registerRigid, rotateImage, latticeRotation, type RigidRegistration } from './rigid.js';
export { overlayPng, scaleBarLength_A, SUBLATTICE_COLOURS, GENERAL_COLOURS, REGION_COLOURS } from './overlay.js';
export { writeAnalysis, columnsCsv as analysisColumnsCsv, framesCsv as analysisFramesCsv, profilesCsv as analysisProfilesCsv, analysisJson, ANALYSIS_SCHEMA_VERSION, type AnalysisProvenance } from './write.js';
export { fitColumns, robustSigma, type GaussColumns, type GaussFit, type GaussFitOptions } from './gaussfit.js';
