import type {
  IdentityGrant,
  ModelAccess,
  NamespaceHardening,
  NetworkRule,
  PostureSection,
  RedactionEntry,
  RetentionEntry,
  SecretEntry,
  StoreEncryption,
} from '../types';

/**
 * How a change moves what the boundary allows:
 * - `broadening`: something is allowed (or kept weaker) that was not before — provably;
 * - `narrowing`: what is allowed after is provably within what was allowed before, and smaller;
 * - `neutral`: nothing a control governs changed (a purpose text, evidence references, an equal set written differently);
 * - `undetermined`: a security-relevant value changed and neither direction could be proven.
 */
export type ChangeKind = 'broadening' | 'narrowing' | 'neutral' | 'undetermined';

/** Every change kind, most urgent first (the order reports use). */
export const CHANGE_KINDS: readonly ChangeKind[] = ['broadening', 'undetermined', 'narrowing', 'neutral'];

/** Any posture entry. */
export type AnyPostureEntry = NetworkRule | ModelAccess | IdentityGrant | SecretEntry | StoreEncryption | RetentionEntry | RedactionEntry | NamespaceHardening;

/** One classified change of one posture entry (entries line up on `key`). */
export interface Change {
  /** The entry's stable key (what acknowledgements name). */
  readonly key: string;
  /** The posture section the entry is in. */
  readonly section: PostureSection;
  readonly kind: ChangeKind;
  /** One line a reviewer reads. */
  readonly summary: string;
  /** What exactly widened, narrowed or could not be compared, one fact per line. */
  readonly details: readonly string[];
  /** The entry before the change; absent when the entry was added. */
  readonly before?: AnyPostureEntry;
  /** The entry after the change; absent when the entry was removed. */
  readonly after?: AnyPostureEntry;
}

/** The area a reviewer reads a section under, in report order. */
export const AREAS: Readonly<Record<PostureSection, string>> = {
  network: 'network',
  modelAccess: 'model access',
  identity: 'identity',
  secrets: 'secrets',
  encryption: 'encryption',
  retention: 'retention',
  redaction: 'redaction',
  hardening: 'hardening',
};

/** A three-valued answer to "is A within B?": proven, disproven (a witness exists), or not decidable from the posture. */
export type Proof = 'yes' | 'no' | 'unknown';

/** Conjunction over proofs: every `yes` → yes; any `no` → no; otherwise unknown. */
export function allOf(proofs: readonly Proof[]): Proof {
  if (proofs.includes('no')) return 'no';
  return proofs.includes('unknown') ? 'unknown' : 'yes';
}

/** One compared aspect of an entry (its peers, its level, its expiry …). */
export interface Assessment {
  readonly kind: ChangeKind;
  /** What changed in this aspect; empty when it did not change. */
  readonly details: readonly string[];
}

/** What a section classifier returns for one entry; the engine adds key, section, before and after. */
export interface Classified extends Assessment {
  /** One line a reviewer reads. */
  readonly summary: string;
}

/** Nothing changed in this aspect. */
export const UNCHANGED: Assessment = { kind: 'neutral', details: [] };

/**
 * The kind of an entry from the kinds of its aspects: anything provably new makes the entry broadening (a narrowing
 * elsewhere does not take it back); otherwise an aspect that could not be compared makes it undetermined; otherwise
 * any narrowing makes it narrowing.
 */
export function combineKinds(kinds: readonly ChangeKind[]): ChangeKind {
  for (const k of ['broadening', 'undetermined', 'narrowing'] as const) if (kinds.includes(k)) return k;
  return 'neutral';
}

/** Combines aspects into one assessment (details in aspect order). */
export function combine(aspects: readonly Assessment[]): Assessment {
  return { kind: combineKinds(aspects.map((a) => a.kind)), details: aspects.flatMap((a) => a.details) };
}

/**
 * The kind of a change of an allowed set from two containment proofs:
 * after ⊆ before and before ⊆ after → neutral (equal); after ⊆ before only → narrowing; after ⊄ before (a witness of
 * something new) → broadening; after ⊆ before not decidable → undetermined.
 */
export function kindOfSets(afterWithinBefore: Proof, beforeWithinAfter: Proof): ChangeKind {
  if (afterWithinBefore === 'no') return 'broadening';
  if (afterWithinBefore === 'unknown') return 'undetermined';
  return beforeWithinAfter === 'yes' ? 'neutral' : 'narrowing';
}

/** A short rendering of a list for a one-line summary: at most `max` items, then `+N more`. */
export function listText(items: readonly string[], max = 3): string {
  if (items.length === 0) return 'nothing';
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} +${items.length - max} more`;
}

/** The details of a change as one summary phrase, cut at `max` characters. */
export function headline(details: readonly string[], max = 110): string {
  const text = details.length === 0 ? 'no effective change' : details.join('; ');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** JSON with object keys sorted, so two values compare equal however their keys were ordered. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
    : v));
}

/** Whether two plain-data values are equal. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}
