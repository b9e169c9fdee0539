import { ordinal } from '../../../k8s/k8s-object';
import type { Posture, SecretEntry } from '../../types';
import { controlRow } from '../control-row';
import { fromTemplate, mergeEvidence, plural, uniqueSorted } from '../describe';
import type { ControlRow } from '../types';

/** The one store the boundary's template creates secrets in; every other store is the customer's. */
export const BOUNDARY_SECRET_STORE = 'aws-secrets-manager';

/** The rule of the secrets control (docs/EVIDENCE.md). */
export const SECRETS_RULE =
  'Met when every secret in the boundary\'s store is encrypted with a customer-managed KMS key and rotated by a template schedule or by a stated customer owner, ' +
  'and Kubernetes Secrets are envelope-encrypted with a CMK where recorded; customer-owned when every secret lives in the customer\'s own store (Vault, an existing cluster store).';

/** Secrets handling: where each secret lives, its encryption, rotation and readers. */
export function secretsControl(posture: Posture): ControlRow {
  const secrets = posture.secrets;
  const ours = secrets.filter((s) => s.store === BOUNDARY_SECRET_STORE);
  const theirs = secrets.filter((s) => s.store !== BOUNDARY_SECRET_STORE);
  const etcd = posture.encryption.filter((e) => e.kind === 'eks-secrets');
  const failures: string[] = [];
  const customerDecides: string[] = [];
  const provides: string[] = [];
  const customerOwns: string[] = [];

  if (secrets.length === 0) failures.push('the posture records no secret');
  for (const s of ours) {
    if (s.atRest === undefined) failures.push(`${s.key}: encryption at rest is not in the artifacts read (read the CloudFormation template too)`);
    else if (s.atRest !== 'cmk') failures.push(`${s.key}: encrypted at rest with ${s.atRest === 'none' ? 'nothing' : 'an AWS-managed key'}, not the boundary's CMK`);
    if (s.rotation === undefined) failures.push(`${s.key}: rotation is not in the artifacts read (read the CloudFormation template too)`);
    else if (s.rotation.by === 'none' && !s.rotation.reason?.trim()) failures.push(`${s.key}: no rotation (neither a template schedule nor a stated owner) and no recorded reason`);
  }
  for (const e of etcd.filter((x) => x.atRest !== 'cmk')) failures.push(`${e.key}: Kubernetes Secrets encrypted at rest with ${e.atRest}, not a CMK`);
  if (secrets.length > 0 && ours.length === 0) {
    customerDecides.push(`every secret lives in the customer's store (${uniqueSorted(theirs.map((s) => s.store)).join(', ')}): its encryption at rest and rotation are the customer's`);
  }

  if (ours.length > 0) {
    const keys = uniqueSorted(ours.filter((s) => s.atRest === 'cmk').map((s) => s.kmsKey ?? 'the boundary key'));
    provides.push(`${plural(ours.length, 'secret')} in ${BOUNDARY_SECRET_STORE}${keys.length > 0 ? `, encrypted with ${keys.join(', ')}` : ''}; no value in the artifacts that reference them.`);
    provides.push(`Rotation: ${rotationSummary(ours)}.`);
  }
  if (theirs.length > 0) provides.push(`${plural(theirs.length, 'secret')} synced from the customer's store (${uniqueSorted(theirs.map((s) => s.store)).join(', ')}) by reference only.`);
  const readers = uniqueSorted(secrets.flatMap((s) => s.readers));
  if (readers.length > 0) provides.push(`Readers: each secret is readable only by the principals recorded for it (${plural(readers.length, 'reader')} in all: ${readers.join(', ')}).`);
  if (etcd.length > 0) provides.push(`Kubernetes Secrets envelope-encrypted at rest: ${etcd.map((e) => `${e.name} (${e.atRest})`).join(', ')}.`);

  const stated = ours.filter((s) => s.rotation?.by === 'customer');
  for (const days of uniqueSorted(stated.map((s) => String(s.rotation?.days ?? '')))) {
    const group = stated.filter((s) => String(s.rotation?.days ?? '') === days);
    customerOwns.push(`Rotating ${days ? `every ${days} days` : 'on the stated schedule'}: ${group.map((s) => s.name).join(', ')}.`);
  }
  if (theirs.length > 0) customerOwns.push(`Storage, encryption at rest and rotation of ${theirs.map((s) => s.name).join(', ')} in the customer's store.`);
  for (const o of [...posture.owners.secretOwners].sort((a, b) => ordinal(a.secret, b.secret))) customerOwns.push(`${o.owner} sets and rotates ${o.secret}.`);
  if (etcd.length === 0 && !secrets.some(fromTemplate) && secrets.length > 0) {
    customerOwns.push('Encryption at rest of the cluster\'s own Secrets (etcd): no cluster in the artifacts records it.');
  }

  return controlRow({ id: 'secrets', rule: SECRETS_RULE, failures, customerDecides, provides, customerOwns, exceptions: [], evidence: mergeEvidence([...secrets, ...etcd]) });
}

function rotationSummary(secrets: readonly SecretEntry[]): string {
  const parts: string[] = [];
  const by = (kind: NonNullable<SecretEntry['rotation']>['by']) => secrets.filter((s) => s.rotation?.by === kind);
  const template = by('template');
  const customer = by('customer');
  const none = by('none');
  const unknown = secrets.filter((s) => s.rotation === undefined);
  if (template.length > 0) parts.push(`${plural(template.length, 'secret')} on a template schedule (${daysList(template)})`);
  if (customer.length > 0) parts.push(`${plural(customer.length, 'secret')} stated as rotated by the customer (${daysList(customer)})`);
  if (none.length > 0) parts.push(`not rotated: ${none.map((s) => `${s.name}${s.rotation?.reason ? ` (${s.rotation.reason})` : ''}`).join(', ')}`);
  if (unknown.length > 0) parts.push(`not in the artifacts read for ${plural(unknown.length, 'secret')}`);
  return parts.join('; ');
}

function daysList(secrets: readonly SecretEntry[]): string {
  const days = uniqueSorted(secrets.map((s) => (s.rotation?.days === undefined ? 'no period stated' : `every ${s.rotation.days} days`)));
  return days.join(', ');
}
