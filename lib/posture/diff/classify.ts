import { ordinal } from '../../k8s/k8s-object';
import { POSTURE_SECTIONS, type EvidenceRef, type Posture, type PostureSection } from '../types';
import { sameValue, type AnyPostureEntry, type Change, type Classified } from './change';
import { classifyEncryption } from './encryption';
import { classifyHardening } from './hardening';
import { classifyIdentity } from './identity';
import { classifyModelAccess } from './model-access';
import { classifyNetwork } from './network';
import { classifyRedaction } from './redaction';
import { classifyRetention } from './retention';
import { classifySecret } from './secrets';

/** Options of `classify`. */
export interface ClassifyOptions {
  /**
   * Report entries whose only change is their evidence references (as `neutral`).
   * @default true
   */
  readonly includeEvidenceOnly?: boolean;
  /**
   * Sections to compare.
   * @default - every section (POSTURE_SECTIONS)
   */
  readonly sections?: readonly PostureSection[];
}

type Classifier = (before: AnyPostureEntry | undefined, after: AnyPostureEntry | undefined) => Classified;

// Each classifier receives entries of its own section only (classify pairs them per section).
const CLASSIFIERS: Readonly<Record<PostureSection, Classifier>> = {
  network: classifyNetwork as Classifier,
  modelAccess: classifyModelAccess as Classifier,
  identity: classifyIdentity as Classifier,
  secrets: classifySecret as Classifier,
  encryption: classifyEncryption as Classifier,
  retention: classifyRetention as Classifier,
  redaction: classifyRedaction as Classifier,
  hardening: classifyHardening as Classifier,
};

function byKey(posture: Posture, section: PostureSection): Map<string, AnyPostureEntry> {
  const map = new Map<string, AnyPostureEntry>();
  for (const entry of posture[section] as readonly AnyPostureEntry[]) {
    if (map.has(entry.key)) throw new Error(`posture of ${posture.boundary}: two ${section} entries keyed ${entry.key}`);
    map.set(entry.key, entry);
  }
  return map;
}

const refsText = (refs: readonly EvidenceRef[]): string => refs.map((r) => r.ref).join(', ') || '(none)';
const withoutEvidence = (e: AnyPostureEntry): AnyPostureEntry => ({ ...e, evidence: [] });

/** Classifies one pair of entries with the same key (either may be absent). */
export function classifyEntry(section: PostureSection, before: AnyPostureEntry | undefined, after: AnyPostureEntry | undefined): Change {
  const key = (after ?? before)?.key;
  if (key === undefined) throw new Error('classifyEntry needs at least one entry');
  const evidenceMoved = before !== undefined && after !== undefined && !sameValue(before.evidence, after.evidence);
  const evidenceLine = evidenceMoved ? [`evidence: ${refsText(before.evidence)} → ${refsText(after.evidence)}`] : [];
  if (before && after && sameValue(withoutEvidence(before), withoutEvidence(after))) {
    return { key, section, kind: 'neutral', summary: `${key}: only its evidence references changed`, details: evidenceLine, before, after };
  }
  const c = CLASSIFIERS[section](before, after);
  return { key, section, kind: c.kind, summary: c.summary, details: [...c.details, ...evidenceLine], ...(before ? { before } : {}), ...(after ? { after } : {}) };
}

/**
 * Classifies every difference between two postures, entry by entry (entries line up on `key` within a section):
 * added, removed and changed entries, each `broadening | narrowing | neutral | undetermined` by the rules of its
 * section (docs/POSTURE-DIFF.md). Identical entries are not reported. Pure: reads nothing but its arguments.
 * Changes come in section order, then by key.
 */
export function classify(before: Posture, after: Posture, options: ClassifyOptions = {}): Change[] {
  const sections = options.sections ?? POSTURE_SECTIONS;
  const includeEvidenceOnly = options.includeEvidenceOnly ?? true;
  const changes: Change[] = [];
  for (const section of POSTURE_SECTIONS) {
    if (!sections.includes(section)) continue;
    const [b, a] = [byKey(before, section), byKey(after, section)];
    const keys = [...new Set([...b.keys(), ...a.keys()])].sort(ordinal);
    for (const key of keys) {
      const [be, ae] = [b.get(key), a.get(key)];
      if (be && ae && sameValue(be, ae)) continue;
      const change = classifyEntry(section, be, ae);
      if (!includeEvidenceOnly && be && ae && sameValue(withoutEvidence(be), withoutEvidence(ae))) continue;
      changes.push(change);
    }
  }
  return changes;
}
