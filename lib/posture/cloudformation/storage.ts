/** Reads how a template's stores keep data: encryption at rest and in transit, and retention of buckets, logs and trails. */
import { sortEvidence } from '../normalize';
import { denyInsecureTransport, iamStatements, resolveList } from '../normalize-iam';
import type { AtRestEncryption, IamStatement, LockMode, RetentionEntry, StoreEncryption } from '../types';
import { TAG, type Template } from './template';
import { TEMPLATE_RECORD } from '../../plan/names';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are read as data of many shapes */

/** Template metadata the AuditLogArchive construct records on the audit bucket (lib/aws/audit-log-archive.ts `RETENTION_METADATA_KEY`). */
const RETENTION_METADATA_KEY = TEMPLATE_RECORD.retentionMetadata;

function policiesOf(t: Template, type: string, field: string, target: string): { ids: string[]; statements: IamStatement[] } {
  const ids = t.ids(type).filter((p) => resolveList(t.props(p)[field]).includes(target));
  return { ids, statements: ids.flatMap((p) => iamStatements(t.props(p).PolicyDocument)) };
}

function entry(t: Template, kind: StoreEncryption['kind'], name: string, evidence: string[], atRest: AtRestEncryption, extra: Partial<StoreEncryption> = {}): StoreEncryption {
  return { key: `encryption/${kind}/${name}`, evidence: sortEvidence(evidence.map((e) => t.ref(e))), kind, name, atRest, ...extra };
}

/** Encryption at rest (and in transit, where the store has it) of every store the template declares. */
export function encryption(t: Template): StoreEncryption[] {
  const out: StoreEncryption[] = [];
  const keyed = (value: unknown, otherwise: AtRestEncryption) => t.key(value) ?? { atRest: otherwise };
  for (const id of t.ids('AWS::S3::Bucket')) {
    const p = t.props(id);
    const sse = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
    // No configuration: S3 encrypts new objects with SSE-S3 (AWS-managed) since January 2023.
    const atRest: AtRestEncryption = sse && String(sse.SSEAlgorithm).startsWith('aws:kms') ? (t.key(sse.KMSMasterKeyID) ?? { atRest: 'aws-managed' }).atRest : 'aws-managed';
    const policy = policiesOf(t, 'AWS::S3::BucketPolicy', 'Bucket', id);
    const pab = p.PublicAccessBlockConfiguration ?? {};
    out.push(entry(t, 's3', t.name(id), [id, ...policy.ids], atRest, {
      inTransit: denyInsecureTransport(policy.statements) ? 'enforced' : 'available',
      publicAccessBlocked: ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => String(pab[k]) === 'true'),
    }));
  }
  for (const type of ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster']) {
    for (const id of t.ids(type)) {
      const p = t.props(id);
      const group = t.target(p.DBParameterGroupName ?? p.DBClusterParameterGroupName);
      const force = group ? String(t.props(group).Parameters?.['rds.force_ssl'] ?? t.props(group).Parameters?.require_secure_transport ?? '') : '';
      const atRest: AtRestEncryption = String(p.StorageEncrypted) === 'true' ? keyed(p.KmsKeyId, 'aws-managed').atRest : 'none';
      out.push(entry(t, 'rds', t.name(id), [id, ...(group ? [group] : [])], atRest, { inTransit: force === '1' || force.toUpperCase() === 'ON' || force === 'true' ? 'enforced' : 'available' }));
    }
  }
  for (const id of [...t.ids('AWS::ElastiCache::ReplicationGroup'), ...t.ids('AWS::ElastiCache::CacheCluster')]) {
    const p = t.props(id);
    const atRest: AtRestEncryption = String(p.AtRestEncryptionEnabled) === 'true' ? keyed(p.KmsKeyId, 'aws-managed').atRest : 'none';
    const inTransit = String(p.TransitEncryptionEnabled) !== 'true' ? 'none' : p.TransitEncryptionMode === 'preferred' ? 'available' : 'enforced';
    out.push(entry(t, 'elasticache', t.name(id), [id], atRest, { inTransit }));
  }
  for (const id of t.ids('AWS::Logs::LogGroup')) out.push(entry(t, 'log-group', t.name(id), [id], keyed(t.props(id).KmsKeyId, 'aws-managed').atRest));
  for (const id of t.ids('AWS::SecretsManager::Secret')) out.push(entry(t, 'secret', t.name(id), [id], keyed(t.props(id).KmsKeyId, 'aws-managed').atRest));
  for (const id of t.ids('AWS::CloudTrail::Trail')) out.push(entry(t, 'cloudtrail', t.name(id), [id], keyed(t.props(id).KMSKeyId, 'aws-managed').atRest));
  for (const id of t.ids('AWS::EKS::Cluster')) {
    const config = ((t.props(id).EncryptionConfig ?? []) as any[]).find((c) => resolveList(c.Resources).includes('secrets'));
    // Without a key of its own, EKS envelope-encrypts Kubernetes API data with an AWS-owned key (1.28+).
    out.push(entry(t, 'eks-secrets', t.name(id), [id], config ? keyed(config.Provider?.KeyArn, 'aws-managed').atRest : 'aws-managed'));
  }
  for (const id of t.ids('AWS::SQS::Queue')) {
    const p = t.props(id);
    const policy = policiesOf(t, 'AWS::SQS::QueuePolicy', 'Queues', id);
    const atRest: AtRestEncryption = p.KmsMasterKeyId !== undefined ? keyed(p.KmsMasterKeyId, 'aws-managed').atRest : String(p.SqsManagedSseEnabled) === 'false' ? 'none' : 'aws-managed';
    out.push(entry(t, 'sqs', t.name(id), [id, ...policy.ids], atRest, { inTransit: denyInsecureTransport(policy.statements) ? 'enforced' : 'available' }));
  }
  for (const id of t.ids('AWS::EC2::LaunchTemplate')) {
    for (const m of (t.props(id).LaunchTemplateData?.BlockDeviceMappings ?? []) as any[]) {
      if (!m.Ebs) continue;
      const atRest: AtRestEncryption = String(m.Ebs.Encrypted) === 'true' ? keyed(m.Ebs.KmsKeyId, 'aws-managed').atRest : 'none';
      out.push(entry(t, 'ebs', `${t.name(id)}${m.DeviceName ?? ''}`, [id], atRest));
    }
  }
  for (const id of t.ids('AWS::EC2::Volume')) {
    out.push(entry(t, 'ebs', t.name(id), [id], String(t.props(id).Encrypted) === 'true' ? keyed(t.props(id).KmsKeyId, 'aws-managed').atRest : 'none'));
  }
  return out;
}

/** A bucket's retention: current-version expiration (rules without a filter), Object Lock default retention, versioning, legal hold. */
function bucketRetention(t: Template, id: string): Omit<RetentionEntry, 'key' | 'evidence' | 'kind' | 'name'> {
  const p = t.props(id);
  const rules = ((p.LifecycleConfiguration?.Rules ?? []) as any[]).filter((r) => r.Status === 'Enabled' && r.Prefix === undefined && r.Filter === undefined);
  const expirations = rules.map((r) => r.ExpirationInDays).filter((d): d is number => typeof d === 'number');
  const lockRule = p.ObjectLockConfiguration?.Rule?.DefaultRetention;
  const lockEnabled = String(p.ObjectLockEnabled) === 'true' || p.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
  const lock: LockMode = lockEnabled && (lockRule?.Mode === 'COMPLIANCE' || lockRule?.Mode === 'GOVERNANCE') ? lockRule.Mode : 'none';
  const lockDays = lock === 'none' ? undefined : typeof lockRule?.Days === 'number' ? lockRule.Days : typeof lockRule?.Years === 'number' ? lockRule.Years * 365 : undefined;
  const hold = t.tag(id, TAG.legalHold);
  const reason = t.resources[id].Metadata?.[RETENTION_METADATA_KEY]?.reason;
  return {
    ...(typeof reason === 'string' && reason.trim() !== '' ? { reason: reason.trim() } : {}),
    ...(expirations.length > 0 ? { days: Math.min(...expirations) } : {}),
    lock, ...(lockDays !== undefined ? { lockDays } : {}),
    legalHold: hold !== undefined && ['requested', 'true', 'on', 'enabled'].includes(hold.toLowerCase()),
    versioned: p.VersioningConfiguration?.Status === 'Enabled',
  };
}

/** How long buckets, log groups and trails keep their records. */
export function retention(t: Template): RetentionEntry[] {
  const out: RetentionEntry[] = [];
  for (const id of t.ids('AWS::S3::Bucket')) {
    out.push({ key: `retention/bucket/${t.name(id)}`, evidence: [t.ref(id)], kind: 'bucket', name: t.name(id), ...bucketRetention(t, id) });
  }
  for (const id of t.ids('AWS::Logs::LogGroup')) {
    const days = t.props(id).RetentionInDays;
    out.push({ key: `retention/log-group/${t.name(id)}`, evidence: [t.ref(id)], kind: 'log-group', name: t.name(id), ...(typeof days === 'number' ? { days } : {}) });
  }
  for (const id of t.ids('AWS::CloudTrail::Trail')) {
    // A trail's records live in its bucket: they are kept as the bucket keeps them.
    const bucket = t.target(t.props(id).S3BucketName);
    const kept = bucket ? bucketRetention(t, bucket) : {};
    out.push({ key: `retention/trail/${t.name(id)}`, evidence: sortEvidence([t.ref(id), ...(bucket ? [t.ref(bucket)] : [])]), kind: 'trail', name: t.name(id), ...kept });
  }
  return out;
}
