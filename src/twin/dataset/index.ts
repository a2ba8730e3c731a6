/** Labelled synthetic HAADF training data: sample parameters, structures, labels, files, shards and manifests. */
export * from './params.js';
export * from './structure.js';
export * from './labels.js';
export * from './sample.js';
export * from './write.js';
export { type Shard, type DatasetOptions, type Manifest, parseShard, shardIndices, manifestName, generateDataset, mergeManifests } from './generate.js';
