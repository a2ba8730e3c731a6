/** Experimental series in: TIFF, PNG sequences, DM3/DM4, NumPy .npy/.npz, HyperSpy .hspy/.hdf5, MRC, Velox EMD, with JSON/CSV per-frame sidecars; intensity normalisation. */
export * from './read.js';
export * from './sidecar.js';
export * from './dm.js';
export { type DmFile, type DmGroup, type DmValue, type DmArray, parseDm, dmGet, dmString } from './dmTags.js';
export * from './npy.js';
export { tiffDescriptions } from './tiffTags.js';
export * from './emd.js';
export * from './hspy.js';
export * from './mrc.js';
export * from './half.js';
export * from './normalise.js';
