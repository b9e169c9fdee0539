import { ordinal } from '../../k8s/k8s-object';
import { POSTURE_SECTIONS, type Posture } from '../types';
import { isAcknowledgementActive, type Acknowledgement } from './acknowledgements';
import { CHANGE_KINDS, type Change, type ChangeKind } from './change';
import { classify, type ClassifyOptions } from './classify';

/**
 * What makes a diff fail: `broadening` — any broadening change without an active acknowledgement; `undetermined` —
 * the same, and any undetermined change without one (a stricter gate); `never` — report only.
 */
export type FailOn = 'broadening' | 'undetermined' | 'never';

/** The exit code of `pab diff --fail-on …` when the gate fails. */
export const DIFF_FAILURE_EXIT_CODE = 3;

/** Options of `reviewChanges` / `diffPostures`. */
export interface ReviewOptions {
  /**
   * Accepted changes (from `loadAcknowledgements`).
   * @default - none
   */
  readonly acknowledgements?: readonly Acknowledgement[];
  /**
   * The instant acknowledgement expiry is judged at.
   * @default - the current time
   */
  readonly now?: Date;
  /**
   * What fails the diff.
   * @default 'never'
   */
  readonly failOn?: FailOn;
}

/** An acknowledgement as applied to a change. */
export interface AppliedAcknowledgement extends Acknowledgement {
  /** `expired`: past its `expires` day at `now`, so it no longer counts. */
  readonly status: 'active' | 'expired';
}

/** A change with the acknowledgement that names it, if any. */
export interface ReviewedChange extends Change {
  readonly acknowledgement?: AppliedAcknowledgement;
  /** Whether this change fails the gate (`failOn`) at `now`. */
  readonly blocking: boolean;
}

/** The reviewed diff of two postures: what renderers print and the CLI decides its exit code from. */
export interface DiffReport {
  /** Boundary names of the two sides. */
  readonly before: string;
  readonly after: string;
  /** Every change, most urgent kind first (broadening, undetermined, narrowing, neutral), then section order, then key. */
  readonly changes: readonly ReviewedChange[];
  /** Changes per kind. */
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Broadening changes with an active acknowledgement. */
  readonly acknowledgedBroadening: number;
  /** Acknowledgements past their expiry (they no longer count), and active ones that match no change (a warning). */
  readonly acknowledgements: { readonly expired: readonly Acknowledgement[]; readonly unmatched: readonly Acknowledgement[] };
  /** Warnings about acknowledgements, one line each, with file positions. */
  readonly warnings: readonly string[];
  readonly failOn: FailOn;
  /** Whether any change blocks: the CLI exits with DIFF_FAILURE_EXIT_CODE. */
  readonly failed: boolean;
}

const where = (a: Acknowledgement): string => (a.location ? `${a.location.file}:${a.location.line}:${a.location.col} ` : '');

function blocks(kind: ChangeKind, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return kind === 'broadening' || (failOn === 'undetermined' && kind === 'undetermined');
}

/** Applies acknowledgements and the gate to classified changes (pure; `now` is the only clock). */
export function reviewChanges(before: string, after: string, changes: readonly Change[], options: ReviewOptions = {}): DiffReport {
  const now = options.now ?? new Date();
  const failOn = options.failOn ?? 'never';
  const acks = options.acknowledgements ?? [];
  const byKey = new Map(acks.map((a) => [a.key, a]));
  const reviewed = changes.map((c): ReviewedChange => {
    const ack = byKey.get(c.key);
    if (!ack) return { ...c, blocking: blocks(c.kind, failOn) };
    const status = isAcknowledgementActive(ack, now) ? 'active' : 'expired';
    return { ...c, acknowledgement: { ...ack, status }, blocking: status === 'expired' && blocks(c.kind, failOn) };
  });
  const rank = (c: Change): [number, number] => [CHANGE_KINDS.indexOf(c.kind), POSTURE_SECTIONS.indexOf(c.section)];
  reviewed.sort((x, y) => rank(x)[0] - rank(y)[0] || rank(x)[1] - rank(y)[1] || ordinal(x.key, y.key));
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, reviewed.filter((c) => c.kind === k).length])) as Record<ChangeKind, number>;
  const changed = new Set(changes.map((c) => c.key));
  const expired = acks.filter((a) => !isAcknowledgementActive(a, now));
  const unmatched = acks.filter((a) => isAcknowledgementActive(a, now) && !changed.has(a.key));
  const warnings = [
    ...expired.map((a) => `${where(a)}acknowledgement of ${a.key} (${a.ticket}) expired after ${a.expires}: it no longer counts — renew it or revert the change`),
    ...unmatched.map((a) => `${where(a)}acknowledgement of ${a.key} (${a.ticket}) matches no change in this diff — remove it`),
  ];
  return {
    before,
    after,
    changes: reviewed,
    counts,
    acknowledgedBroadening: reviewed.filter((c) => c.kind === 'broadening' && c.acknowledgement?.status === 'active').length,
    acknowledgements: { expired, unmatched },
    warnings,
    failOn,
    failed: reviewed.some((c) => c.blocking),
  };
}

/** Classifies two postures and reviews the changes: the whole `pab diff` decision, without any I/O. */
export function diffPostures(before: Posture, after: Posture, options: ReviewOptions & { readonly classify?: ClassifyOptions } = {}): DiffReport {
  return reviewChanges(before.boundary, after.boundary, classify(before, after, options.classify), options);
}

/** The exit code the CLI uses for a report: DIFF_FAILURE_EXIT_CODE (3) when the gate fails, else 0. */
export function diffExitCode(report: DiffReport): 0 | typeof DIFF_FAILURE_EXIT_CODE {
  return report.failed ? DIFF_FAILURE_EXIT_CODE : 0;
}
