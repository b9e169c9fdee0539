/**
 * The semantic security diff of two postures (issue #5): classify every changed entry as broadening, narrowing,
 * neutral or undetermined (docs/POSTURE-DIFF.md), apply acknowledgements, decide the `--fail-on` gate, render.
 * Pure except `loadAcknowledgements`, which reads a file.
 */
export { CHANGE_KINDS, AREAS, type AnyPostureEntry, type Change, type ChangeKind } from './change';
export { classify, classifyEntry, type ClassifyOptions } from './classify';
export {
  AcknowledgementError, checkAcknowledgementsText, formatAcknowledgementProblem, isAcknowledgementActive, loadAcknowledgements,
  type Acknowledgement, type AcknowledgementProblem, type CheckedAcknowledgements,
} from './acknowledgements';
export {
  DIFF_FAILURE_EXIT_CODE, diffExitCode, diffPostures, reviewChanges,
  type AppliedAcknowledgement, type DiffReport, type FailOn, type ReviewedChange, type ReviewOptions,
} from './review';
export { DIFF_FORMATS, formatDiff, type DiffFormat, type DiffFormatOptions } from './format';
export { formatText, type TextFormatOptions } from './format-text';
export { DIFF_SCHEMA, formatJson } from './format-json';
export { formatMarkdown, type MarkdownFormatOptions } from './format-md';
export { formatSarif, sarifRuleId, type SarifFormatOptions } from './format-sarif';
export {
  ACCESS_LEVEL, AT_REST, IN_TRANSIT, LOCK_MODE, PSS, REDACTION, ROTATION_BY, type Lattice,
} from './lattices';
export { PLACEHOLDER, awsPlacementOf, rebasePosture } from './rebase';
