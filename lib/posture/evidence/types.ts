import type { EvidenceRef } from '../types';

/**
 * Status of one control, computed from the posture (docs/EVIDENCE.md lists every rule):
 * - `met`: the artifacts establish the control and every rule of it holds;
 * - `not met`: a rule fails (a finding says which), or the posture records nothing that establishes the control;
 * - `customer-owned`: no rule fails, and the part that decides the control lies outside the artifacts (the customer's
 *   IdP, secret store, audit store…), so the report names the owner instead of claiming it.
 * A failing rule always wins: `not met` > `customer-owned` > `met`.
 */
export type ControlStatus = 'met' | 'not met' | 'customer-owned';

/** The controls of the matrix, in report order. */
export const CONTROL_IDS = ['identity', 'api-keys', 'secrets', 'retention', 'redaction', 'network'] as const;
/** One control. */
export type ControlId = (typeof CONTROL_IDS)[number];

/** Row titles, as a security review names the controls. */
export const CONTROL_TITLES: Readonly<Record<ControlId, string>> = {
  'identity': 'Identity & SSO/RBAC',
  'api-keys': 'API keys & access policy',
  'secrets': 'Secrets handling',
  'retention': 'Logs, traces & retention',
  'redaction': 'Redaction & output handling',
  'network': 'Network isolation',
};

/**
 * A weaker-than-baseline choice the artifacts record (retention below 365 days, Object Lock `none`, a public path,
 * an entity let through unredacted…), shown in the report with the reason the spec gave for it.
 */
export interface RecordedException {
  readonly control: ControlId;
  /** Posture key of the entry that records it. */
  readonly key: string;
  /** What is weaker, in one sentence. */
  readonly what: string;
  /** The reason recorded in the artifacts; absent = none recorded (the control's rules then decide). */
  readonly reason?: string;
  readonly evidence: readonly EvidenceRef[];
}

/** One row of the controls matrix. */
export interface ControlRow {
  readonly id: ControlId;
  readonly title: string;
  readonly status: ControlStatus;
  /** The rule the status was computed with, in one sentence. */
  readonly rule: string;
  /** Why the status is what it is: failing checks for `not met`, the customer's part for `customer-owned`; sorted by check. */
  readonly findings: readonly string[];
  /** What the boundary provides: sentences generated from the posture entries. */
  readonly provides: readonly string[];
  /** What the customer owns: from the posture's owners and from entries it records as the customer's. */
  readonly customerOwns: readonly string[];
  /** Weaker choices recorded with (or without) a reason. */
  readonly exceptions: readonly RecordedException[];
  /** The artifacts that establish the row (deduplicated, sorted by source then ref). */
  readonly evidence: readonly EvidenceRef[];
}

/** A table of the review checklist (plain strings; renderers escape them). */
export interface EvidenceTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Said instead of an empty table. */
  readonly empty: string;
}

/** One item of the review checklist. */
export interface ChecklistSection {
  readonly id: string;
  readonly title: string;
  /** Facts from the posture, one sentence each. */
  readonly facts: readonly string[];
  /** What the reviewer confirms (rendered as unticked boxes). */
  readonly confirm: readonly string[];
  readonly tables: readonly { readonly caption: string; readonly table: EvidenceTable }[];
  /** Pre-formatted text shown as is (the `pab diff` output of the change history). */
  readonly preformatted?: { readonly caption: string; readonly text: string };
}

/** A node of the network diagram. */
export interface DiagramNode {
  /** DOT identifier (`n0`, `n1`…), assigned in sorted order. */
  readonly id: string;
  readonly label: string;
  /** The cluster the node is drawn in; absent = outside every cluster (the internet, address ranges). */
  readonly cluster?: string;
  readonly kind: 'internet' | 'cidr' | 'namespace' | 'pods' | 'security-group' | 'aws';
}

/** A cluster (zone, namespace, AWS layer) of the network diagram. */
export interface DiagramCluster {
  /** DOT identifier (`cluster_0`…). */
  readonly id: string;
  readonly label: string;
  /** Boundary namespaces: whether a default-deny applies both ways. `undefined` for other clusters. */
  readonly defaultDeny?: boolean;
}

/** An allowed path of the network diagram: every rule between the same two nodes merged, ports as the label. */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  /** Port ranges, e.g. `TCP 4000`, sorted. */
  readonly ports: readonly string[];
  /** Whether the internet is an end. */
  readonly public: boolean;
}

/** Zones and allowed paths, derived from the posture's network rules. */
export interface NetworkDiagram {
  readonly clusters: readonly DiagramCluster[];
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

/** The evidence report of one boundary. Plain data; `renderEvidenceMarkdown` / `renderEvidenceHtml` render it. */
export interface EvidenceReport {
  readonly boundary: string;
  readonly customer?: string;
  readonly owner?: string;
  /** When the report was produced, only when the caller passed it (reports are otherwise byte-stable). */
  readonly generatedAt?: string;
  readonly controls: readonly ControlRow[];
  /** Every recorded exception of every control, in control order. */
  readonly exceptions: readonly RecordedException[];
  readonly checklist: readonly ChecklistSection[];
  readonly diagram: NetworkDiagram;
}

/** Options of {@link evidenceReport}. */
export interface EvidenceOptions {
  /**
   * Timestamp printed in the report header.
   * @default - none: the same posture always yields the same bytes
   */
  readonly generatedAt?: string;
  /**
   * Output of `pab diff <previous> <this>` for the change-history item.
   * @default - a placeholder telling the reviewer where to paste it
   */
  readonly diff?: string;
}
