export { parsePaperRows } from './rows-csv.js';
export { parsePaperConstants, assembleProfile } from './constants.js';
export { fitPaperRows } from './fit-paper.js';
export { formatPaperReport } from './report-table.js';
export { rowModel } from './row-model.js';
export type {
  PaperRow,
  PaperConstants,
  PaperFit,
  PaperFitReport,
  RowReport,
  ParameterReport,
} from './types.js';
export {
  builtinCalibration,
  BUILTIN_ROWS_FILE,
  BUILTIN_CONSTANTS_FILE,
  BUILTIN_PROFILE_FILE,
} from './builtin.js';
