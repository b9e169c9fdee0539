export * from './types';
export * from './problems';
export { DEFAULTS } from './defaults';
export { Boundary } from './boundary';
export { checkSpecFile, checkSpecText, loadSpec, type CheckedSpec, type LoadedSpec } from './loader';
export { duplicateNameProblems } from './duplicate-names';
export { validateManifest, type ValidateOptions, type ValidationResult } from './validate';
export type { ResolvedSpec } from './resolve';
