import { AREAS, canonical } from './change';
import type { Acknowledgement } from './acknowledgements';
import type { DiffReport } from './review';

/** Schema id of the JSON diff document. */
export const DIFF_SCHEMA = 'private-ai-boundary/posture-diff/v1';

const ack = (a: Acknowledgement): Record<string, unknown> => ({
  key: a.key,
  reason: a.reason,
  ticket: a.ticket,
  expires: a.expires,
  ...(a.location ? { location: `${a.location.file}:${a.location.line}:${a.location.col}` } : {}),
});

/** A posture entry with its keys sorted, so equal entries print identically. */
const sorted = (v: unknown): unknown => JSON.parse(canonical(v));

/**
 * Renders a report as JSON for machines: stable (fixed field order, changes in report order, entries with sorted
 * keys), two-space indented, newline-terminated. Every change carries its entries before and after.
 */
export function formatJson(report: DiffReport): string {
  const doc = {
    schema: DIFF_SCHEMA,
    before: report.before,
    after: report.after,
    failOn: report.failOn,
    failed: report.failed,
    counts: { ...report.counts, acknowledgedBroadening: report.acknowledgedBroadening },
    changes: report.changes.map((c) => ({
      key: c.key,
      section: c.section,
      area: AREAS[c.section],
      kind: c.kind,
      blocking: c.blocking,
      summary: c.summary,
      details: c.details,
      ...(c.acknowledgement ? { acknowledgement: { ...ack(c.acknowledgement), status: c.acknowledgement.status } } : {}),
      ...(c.before ? { before: sorted(c.before) } : {}),
      ...(c.after ? { after: sorted(c.after) } : {}),
    })),
    acknowledgements: { expired: report.acknowledgements.expired.map(ack), unmatched: report.acknowledgements.unmatched.map(ack) },
    warnings: report.warnings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
