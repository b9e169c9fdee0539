import { POSTURE_SECTIONS, type PostureSection } from '../types';
import { AREAS, CHANGE_KINDS, type ChangeKind } from './change';
import type { DiffReport, ReviewedChange } from './review';

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for code-scanning tools: one result
 * per broadening or undetermined change (narrowing ones too, as notes, when asked), one rule per section × kind.
 * Levels: unacknowledged broadening `error`; acknowledged broadening `warning` with an accepted external suppression
 * carrying the ticket and reason; undetermined `warning`; narrowing `note`.
 */

/** Options of the SARIF renderer. */
export interface SarifFormatOptions {
  /**
   * Also report narrowing changes (level `note`).
   * @default false
   */
  readonly includeNarrowing?: boolean;
  /**
   * A file every result points at (e.g. the after-side spec), for tools that need a physical location.
   * @default - logical locations only (the posture key)
   */
  readonly artifactUri?: string;
  /**
   * The tool version recorded in the run.
   * @default - not recorded
   */
  readonly toolVersion?: string;
}

type Level = 'error' | 'warning' | 'note';

const DESCRIPTION: Readonly<Record<ChangeKind, string>> = {
  broadening: 'allows more than before',
  undetermined: 'changed in a way that could not be ordered against before',
  narrowing: 'allows less than before',
  neutral: 'changed without changing what is allowed',
};
const DEFAULT_LEVEL: Readonly<Record<ChangeKind, Level>> = { broadening: 'error', undetermined: 'warning', narrowing: 'note', neutral: 'note' };

/** The rule id of a section × kind, e.g. `posture/network/broadening`. */
export function sarifRuleId(section: PostureSection, kind: ChangeKind): string {
  return `posture/${section}/${kind}`;
}

function level(c: ReviewedChange): Level {
  if (c.kind === 'broadening') return c.acknowledgement?.status === 'active' ? 'warning' : 'error';
  return DEFAULT_LEVEL[c.kind];
}

/** Renders a report as a SARIF 2.1.0 log (JSON, newline-terminated). */
export function formatSarif(report: DiffReport, options: SarifFormatOptions = {}): string {
  const reported = report.changes.filter((c) => c.kind === 'broadening' || c.kind === 'undetermined' || (options.includeNarrowing && c.kind === 'narrowing'));
  const ruleIds: string[] = [];
  for (const section of POSTURE_SECTIONS) {
    for (const kind of CHANGE_KINDS) if (reported.some((c) => c.section === section && c.kind === kind)) ruleIds.push(sarifRuleId(section, kind));
  }
  const rules = ruleIds.map((id) => {
    const [, section, kind] = id.split('/') as [string, PostureSection, ChangeKind];
    const text = `A ${AREAS[section]} change ${DESCRIPTION[kind]}`;
    return {
      id,
      name: `${section[0].toUpperCase()}${section.slice(1)}${kind[0].toUpperCase()}${kind.slice(1)}`,
      shortDescription: { text },
      fullDescription: { text: `${text}. See docs/POSTURE-DIFF.md for how ${AREAS[section]} changes are classified.` },
      defaultConfiguration: { level: DEFAULT_LEVEL[kind] },
      properties: { tags: ['security', 'posture', kind] },
    };
  });
  const results = reported.map((c) => {
    const ack = c.acknowledgement;
    return {
      ruleId: sarifRuleId(c.section, c.kind),
      ruleIndex: ruleIds.indexOf(sarifRuleId(c.section, c.kind)),
      level: level(c),
      message: { text: [c.summary, ...c.details.map((d) => `- ${d}`)].join('\n') },
      locations: [{
        ...(options.artifactUri ? { physicalLocation: { artifactLocation: { uri: options.artifactUri }, region: { startLine: 1 } } } : {}),
        logicalLocations: [{ fullyQualifiedName: c.key, kind: 'resource' }],
      }],
      partialFingerprints: { 'postureKey/v1': `${c.key}#${c.kind}` },
      ...(ack && ack.status === 'active'
        ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${ack.ticket}: ${ack.reason} (until ${ack.expires})` }] }
        : {}),
      properties: {
        key: c.key,
        section: c.section,
        kind: c.kind,
        blocking: c.blocking,
        evidence: (c.after ?? c.before)?.evidence.map((e) => `${e.source}:${e.ref}`) ?? [],
        ...(ack ? { acknowledgement: { ticket: ack.ticket, expires: ack.expires, status: ack.status } } : {}),
      },
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'pab diff', ...(options.toolVersion ? { version: options.toolVersion } : {}), rules } },
      results,
      properties: { before: report.before, after: report.after, failOn: report.failOn, failed: report.failed },
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
