import type { AtRestEncryption, LockMode, PssLevel, RedactionAction } from '../types';
import { UNCHANGED, type Assessment } from './change';

/**
 * Ordered controls. Each lattice lists its values WEAKEST FIRST: moving up (towards the end) is a stronger control,
 * i.e. `narrowing`; moving down is `broadening`; a value outside the lattice cannot be ordered: `undetermined`.
 * docs/POSTURE-DIFF.md lists the same directions.
 */
export interface Lattice<T extends string> {
  /** What the value controls, as a reviewer reads it. */
  readonly name: string;
  /** Values, weakest control first. */
  readonly weakestFirst: readonly T[];
}

/** S3 Object Lock: COMPLIANCE (nobody can shorten) > GOVERNANCE (privileged users can) > none. */
export const LOCK_MODE: Lattice<LockMode> = { name: 'object lock', weakestFirst: ['none', 'GOVERNANCE', 'COMPLIANCE'] };
/** Encryption at rest: customer-managed key (key policy we control) > AWS-managed key > none. */
export const AT_REST: Lattice<AtRestEncryption> = { name: 'encryption at rest', weakestFirst: ['none', 'aws-managed', 'cmk'] };
/** Encryption in transit: enforced (TLS required) > available (offered) > none. */
export const IN_TRANSIT: Lattice<'none' | 'available' | 'enforced'> = { name: 'encryption in transit', weakestFirst: ['none', 'available', 'enforced'] };
/** Pod Security Standards: restricted > baseline > privileged. */
export const PSS: Lattice<PssLevel> = { name: 'pod security', weakestFirst: ['privileged', 'baseline', 'restricted'] };
/** Redaction of a PII entity: block (request refused) > mask (entity replaced) > allow (passes through). */
export const REDACTION: Lattice<RedactionAction> = { name: 'redaction', weakestFirst: ['allow', 'mask', 'block'] };
/** Who rotates a secret: the template (a schedule that runs) > the customer (stated) > nobody. */
export const ROTATION_BY: Lattice<'none' | 'customer' | 'template'> = { name: 'rotation', weakestFirst: ['none', 'customer', 'template'] };
/**
 * Kubernetes access level of a grant, as a control: less access is the stronger control, so
 * view > edit > admin > cluster-admin (edit and admin can read Secrets; cluster-admin is everything).
 */
export const ACCESS_LEVEL: Lattice<string> = { name: 'access level', weakestFirst: ['cluster-admin', 'admin', 'edit', 'view'] };

/** Compares two values of a lattice. */
export function compareOrdered<T extends string>(lattice: Lattice<T>, before: T, after: T, what = lattice.name): Assessment {
  if (before === after) return UNCHANGED;
  const [b, a] = [lattice.weakestFirst.indexOf(before), lattice.weakestFirst.indexOf(after)];
  if (b < 0 || a < 0) return { kind: 'undetermined', details: [`${what}: ${before} → ${after} (cannot be ordered)`] };
  return a > b
    ? { kind: 'narrowing', details: [`${what} strengthened: ${before} → ${after}`] }
    : { kind: 'broadening', details: [`${what} weakened: ${before} → ${after}`] };
}

/** How a bare number orders as a control. */
export interface NumberOrder {
  /** Which way is the stronger control: a `lower` rate limit or rotation interval, `higher` retention days. */
  readonly stronger: 'lower' | 'higher';
  /** What an absent value means: `weakest` (no limit, no rotation), `strongest` (kept forever). */
  readonly absent: 'weakest' | 'strongest';
  /** Unit shown after the number, e.g. ` days`, `/min`. @default '' */
  readonly unit?: string;
  /** How an absent value reads, e.g. `unlimited`, `forever`. */
  readonly absentText: string;
}

/**
 * Compares two numbers of a control: rate limits (lower = narrowing, removing one = broadening), retention days
 * (longer = narrowing; absent = kept forever), rotation interval (shorter = narrowing; absent = no rotation).
 */
export function compareNumber(what: string, before: number | undefined, after: number | undefined, order: NumberOrder): Assessment {
  if (before === after) return UNCHANGED;
  const show = (v: number | undefined): string => (v === undefined ? order.absentText : `${v}${order.unit ?? ''}`);
  const rank = (v: number | undefined): number => {
    if (v === undefined) return order.absent === 'strongest' ? Infinity : -Infinity;
    return order.stronger === 'higher' ? v : -v;
  };
  const text = `${what}: ${show(before)} → ${show(after)}`;
  if (Number.isNaN(rank(before)) || Number.isNaN(rank(after))) return { kind: 'undetermined', details: [`${text} (not a number)`] };
  return rank(after) > rank(before) ? { kind: 'narrowing', details: [`${text} (stronger)`] } : { kind: 'broadening', details: [`${text} (weaker)`] };
}

/** A yes/no control (MFA required, public access blocked, legal hold, versioning): gaining it narrows, losing it broadens. */
export function compareFlag(what: string, before: boolean | undefined, after: boolean | undefined): Assessment {
  if ((before === true) === (after === true)) return UNCHANGED;
  return after === true ? { kind: 'narrowing', details: [`${what} added`] } : { kind: 'broadening', details: [`${what} removed`] };
}

/**
 * An expiry (ISO 8601): an earlier or newly added expiry narrows, a later or removed one broadens (an absent expiry is
 * "never"). A value that is not a date cannot be ordered.
 */
export function compareExpiry(what: string, before: string | undefined, after: string | undefined): Assessment {
  if (before === after) return UNCHANGED;
  const t = (v: string | undefined): number => (v === undefined ? Infinity : Date.parse(v));
  const [b, a] = [t(before), t(after)];
  const text = `${what}: ${before ?? 'never'} → ${after ?? 'never'}`;
  if (Number.isNaN(b) || Number.isNaN(a)) return { kind: 'undetermined', details: [`${text} (not a date)`] };
  if (a === b) return { kind: 'neutral', details: [`${text} (same instant)`] };
  return a < b ? { kind: 'narrowing', details: [`${text} (earlier)`] } : { kind: 'broadening', details: [`${text} (later)`] };
}

/**
 * Compares a lattice value the artifacts may not record (`undefined` = not evidenced). Both unknown: unchanged; a
 * value that becomes known or stops being evidenced cannot be ordered against the unknown: undetermined.
 */
export function compareKnown<T extends string>(lattice: Lattice<T>, before: T | undefined, after: T | undefined, what = lattice.name): Assessment {
  if (before === after) return UNCHANGED;
  if (before === undefined || after === undefined) {
    return { kind: 'undetermined', details: [`${what}: ${before ?? 'not evidenced'} → ${after ?? 'not evidenced'}`] };
  }
  return compareOrdered(lattice, before, after, what);
}
