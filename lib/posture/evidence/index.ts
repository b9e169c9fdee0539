// The controls evidence report of a boundary, computed from its posture (docs/EVIDENCE.md).
export { evaluateControls } from './evaluate-controls';
export { evidenceReport } from './evidence-report';
export { reviewChecklist, DIFF_PLACEHOLDER } from './checklist';
export { networkDiagram } from './network-diagram';
export { diagramDot } from './diagram-dot';
export { renderDiagramSvg } from './diagram-svg';
export { renderEvidenceMarkdown } from './render-markdown';
export { renderEvidenceHtml } from './render-html';
export { API_KEYS_RULE } from './controls/api-keys';
export { IDENTITY_RULE } from './controls/identity';
export { NETWORK_RULE } from './controls/network';
export { REDACTION_RULE } from './controls/redaction';
export { BASELINE_RETENTION_DAYS, RETENTION_RULE } from './controls/retention';
export { BOUNDARY_SECRET_STORE, SECRETS_RULE } from './controls/secrets';
export {
  CONTROL_IDS, CONTROL_TITLES,
  type ChecklistSection, type ControlId, type ControlRow, type ControlStatus, type DiagramCluster, type DiagramEdge, type DiagramNode,
  type EvidenceOptions, type EvidenceReport, type EvidenceTable, type NetworkDiagram, type RecordedException,
} from './types';
