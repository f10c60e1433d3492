export { parseValidationRows, type ValidationRow } from './rows.js';
export { readValidationRows, VALIDATION_ROWS_FILE } from './load.js';
export { TESTBED_SPECS, testbedProfile, testbedProfileNamed } from './testbed-profiles.js';
export { predictRow, type RowPrediction } from './predict-row.js';
export { validate, type ValidationReport, type ValidationResult, type ErrorSummary } from './report.js';
export { validationMarkdown } from './markdown.js';
