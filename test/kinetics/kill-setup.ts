/** Shared setup of the kill -9 test and its child process (not a test file). */
import { TemperatureProgram, VacancyFccModel } from '../../src/kinetics/index.js';

export function killTestSetup(): { model: VacancyFccModel; program: TemperatureProgram } {
  const model = new VacancyFccModel({ cells: 6, seed: 9 });
  const program = TemperatureProgram.ramp({ start_K: model.temperatureFor_K(3), end_K: model.temperatureFor_K(10), rate_KPerS: model.temperatureFor_K(1) / 20 });
  return { model, program };
}
