/**
 * All ImageDescription (270) strings of a TIFF's first page. geotiff keeps only one when a writer (tifffile) stores
 * two: its own shape JSON and the user's description; the user's one can hold acquisition metadata such as per-frame
 * drift shifts. Read through the one TIFF structure scanner (imageio/tiffScan.ts); [] when the file is not a TIFF.
 */
import { InputError } from '../../core/index.js';
import { scanTiff } from '../imageio/tiffScan.js';

export function tiffDescriptions(b: Uint8Array): string[] {
  try {
    return scanTiff(b).pages[0]!.descriptions;
  } catch (e) {
    if (e instanceof InputError) return [];
    throw e;
  }
}
