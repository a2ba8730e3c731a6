/** Worker task of analyseSeries: one frame through analyseFrame (see series.ts). */
import { analyseFrame, type AnalyseOptions, type Calibration, type FrameAnalysis } from './frame.js';

/** One frame to analyse (its buffer is transferred, not copied). */
export interface FrameTask {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly calibration: Calibration;
  readonly options: AnalyseOptions;
}

export default function run(t: FrameTask): FrameAnalysis {
  return analyseFrame({ data: t.data, width: t.width, height: t.height }, t.calibration, t.options);
}
