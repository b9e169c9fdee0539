import type { Posture, RetentionEntry, StoreEncryption } from '../../types';
import { controlRow } from '../control-row';
import { fromTemplate, mergeEvidence } from '../describe';
import type { ControlRow, RecordedException } from '../types';

/** Days the audit baseline keeps records (below it, the spec must give a reason). */
export const BASELINE_RETENTION_DAYS = 365;

/** The rule of the retention control (docs/EVIDENCE.md). */
export const RETENTION_RULE =
  `Met when each audit bucket the template creates has Object Lock COMPLIANCE or GOVERNANCE with a default period and keeps records ≥ ${BASELINE_RETENTION_DAYS} days — or records the reason for less — ` +
  `is encrypted and not public, and every log group keeps ≥ ${BASELINE_RETENTION_DAYS} days or as long as an audit bucket whose shorter retention has a reason; ` +
  'customer-owned when the artifacts create no audit bucket and no AWS resource (the audit store is the customer\'s).';

/**
 * The audit buckets of a posture: buckets under Object Lock (COMPLIANCE or GOVERNANCE), and buckets a trail writes
 * to (a trail's evidence cites its bucket), which finds an audit bucket without a lock too. The access-log and model
 * buckets are neither. The posture has no field naming a bucket's role, hence the rule.
 */
export function auditBuckets(posture: Posture): RetentionEntry[] {
  const trailRefs = new Set(posture.retention.filter((r) => r.kind === 'trail').flatMap((t) => t.evidence.map((e) => `${e.source}:${e.ref}`)));
  return posture.retention.filter((r) => r.kind === 'bucket'
    && ((r.lock !== undefined && r.lock !== 'none') || r.evidence.some((e) => trailRefs.has(`${e.source}:${e.ref}`))));
}

/** How long a bucket's records are surely kept: the Object Lock window when locked, else until they expire. */
export function keptDays(b: RetentionEntry): number | undefined {
  if (b.lock !== undefined && b.lock !== 'none' && b.lockDays !== undefined) return b.days === undefined ? b.lockDays : Math.min(b.lockDays, b.days);
  return b.days;
}

/** Logs, traces & retention: Object Lock and days of the audit bucket, retention of every log group and trail. */
export function retentionControl(posture: Posture): ControlRow {
  const audit = auditBuckets(posture);
  const created = audit.filter(fromTemplate);
  const logs = posture.retention.filter((r) => r.kind === 'log-group');
  const trails = posture.retention.filter((r) => r.kind === 'trail');
  const anyTemplate = posture.sources.some((s) => s.target === 'cloudformation') || posture.retention.some(fromTemplate);
  const failures: string[] = [];
  const customerDecides: string[] = [];
  const provides: string[] = [];
  const customerOwns: string[] = [];
  const exceptions: RecordedException[] = [];

  if (created.length === 0) {
    if (anyTemplate) failures.push('the template creates no audit bucket');
    else customerDecides.push(`the request-audit store${audit.length > 0 ? ` (${audit.map((b) => b.name).join(', ')})` : ''} is the customer's: no audit bucket in the artifacts`);
  }
  for (const b of created) {
    const reason = b.reason?.trim();
    const lock = b.lock ?? 'none';
    if (lock === 'none') {
      if (!reason) failures.push(`${b.key}: no Object Lock and no recorded reason`);
      exceptions.push(exception(b, 'no Object Lock: records can be deleted or overwritten before their retention ends', reason));
    } else if (b.lockDays === undefined) {
      if (!reason) failures.push(`${b.key}: Object Lock ${lock} without default retention days, and no recorded reason`);
      exceptions.push(exception(b, `Object Lock ${lock} sets no default retention: new records are not locked`, reason));
    }
    const kept = keptDays(b);
    if (kept !== undefined && kept < BASELINE_RETENTION_DAYS) {
      if (!reason) failures.push(`${b.key}: keeps records ${kept} days (< ${BASELINE_RETENTION_DAYS}) with no recorded reason`);
      exceptions.push(exception(b, `audit records kept ${kept} days, below the ${BASELINE_RETENTION_DAYS}-day baseline`, reason));
    }
    const enc = posture.encryption.find((e) => e.kind === 's3' && e.name === b.name);
    if (enc?.atRest === 'none') failures.push(`${enc.key}: audit bucket not encrypted at rest`);
    if (enc?.publicAccessBlocked === false) failures.push(`${enc.key}: public access to the audit bucket is not blocked`);
    provides.push(`Audit bucket ${b.name}: ${bucketLine(b)}${enc ? `; ${encryptionLine(enc)}` : ''}.`);
  }
  const excused = created.filter((b) => b.reason?.trim() && keptDays(b) !== undefined).map((b) => ({ days: keptDays(b)!, bucket: b }));
  for (const g of logs) {
    if (g.days === undefined || g.days >= BASELINE_RETENTION_DAYS) continue;
    const cover = excused.find((e) => g.days! >= e.days);
    if (cover) exceptions.push(exception(g, `log group ${g.name} keeps ${g.days} days, as the audit bucket ${cover.bucket.name} does`, cover.bucket.reason!.trim()));
    else failures.push(`${g.key}: log group ${g.name} keeps ${g.days} days (< ${BASELINE_RETENTION_DAYS}) and no audit reason covers it`);
  }

  if (logs.length > 0) provides.push(`Log groups: ${logs.map((g) => `${g.name} (${daysText(g.days)})`).join(', ')}.`);
  if (trails.length > 0) provides.push(`Trails (records kept as their bucket keeps them): ${trails.map((t) => `${t.name} (${bucketLine(t)})`).join(', ')}.`);

  if (posture.owners.owner) customerOwns.push(`${posture.owners.owner} (boundary owner) owns the audit records and their review.`);
  if (created.some((b) => b.lock === 'GOVERNANCE')) customerOwns.push('Who holds s3:BypassGovernanceRetention: under GOVERNANCE those principals can shorten or remove retention.');
  if (created.some((b) => b.legalHold !== true)) customerOwns.push('Placing legal holds when an investigation needs them (none is requested on new objects).');
  if (created.length === 0) customerOwns.push('The request-audit store: its retention, immutability and access.');

  return controlRow({ id: 'retention', rule: RETENTION_RULE, failures, customerDecides, provides, customerOwns, exceptions,
    evidence: mergeEvidence([...posture.retention, ...posture.encryption.filter((e) => e.kind === 's3' && audit.some((b) => b.name === e.name))]) });
}

function exception(entry: RetentionEntry, what: string, reason: string | undefined): RecordedException {
  return { control: 'retention', key: entry.key, what, ...(reason ? { reason } : {}), evidence: mergeEvidence([entry]) };
}

function bucketLine(b: RetentionEntry): string {
  const lock = b.lock ?? 'none';
  const parts = [lock === 'none' ? 'no Object Lock' : `Object Lock ${lock} for ${b.lockDays === undefined ? 'no default period' : `${b.lockDays} days`}`,
    b.days === undefined ? 'current versions never expire' : `expire after ${b.days} days`];
  if (b.versioned !== undefined) parts.push(b.versioned ? 'versioned' : 'not versioned');
  if (b.legalHold !== undefined) parts.push(b.legalHold ? 'legal hold on new objects' : 'no legal hold');
  return parts.join(', ');
}

function encryptionLine(e: StoreEncryption): string {
  const parts = [`encrypted ${e.atRest === 'cmk' ? 'with a customer-managed key' : e.atRest === 'aws-managed' ? 'with an AWS-managed key' : 'not encrypted'}`];
  if (e.inTransit !== undefined) parts.push(`TLS ${e.inTransit}`);
  if (e.publicAccessBlocked !== undefined) parts.push(e.publicAccessBlocked ? 'public access blocked' : 'public access NOT blocked');
  return parts.join(', ');
}

/** `400 days` or `never expires`. */
export function daysText(days: number | undefined): string {
  return days === undefined ? 'never expires' : `${days} days`;
}
