/**
 * The parameter table as `dry` uses it (src/kinetics/ncm/params.ts, the one table): the prior rows for
 * draws without a posterior, the unit of a posterior's parameter, and the default column offset.
 */
import { DEFAULT_NCM_PARAMS, parameterRow, parameterSpace } from '../../kinetics/ncm/index.js';
import type { DryParameterTable } from './run.js';

/** The table (see module doc). Unknown or prior-less names are InputErrors naming `drying.uncertainty.parameters`. */
export function dryParameterTable(): DryParameterTable {
  return {
    space: (names) => parameterSpace(names, 'drying.uncertainty.parameters').map((d) => ({ name: d.name, unit: d.unit, default: d.default, low: d.low, high: d.high, scale: d.scale })),
    unit: (name) => parameterRow(name)?.unit,
    defaultOffset_eV: DEFAULT_NCM_PARAMS.muO_offset_eV,
  };
}
