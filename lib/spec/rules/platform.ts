import { MIN_RETENTION_DAYS_WITHOUT_REASON } from '../defaults';
import { derivedBucketName } from '../bucket-names';
import { show } from '../problems';
import { NAME_MAX_LENGTH } from './names';
import type { RuleContext } from './context';

/**
 * Kubernetes minor versions this library supports: 1.30 is the first with ValidatingAdmissionPolicy GA (the boundary's
 * exposure policy); 1.29 left EKS extended support in March 2026.
 */
export const SUPPORTED_K8S_VERSIONS = ['1.30', '1.31', '1.32', '1.33', '1.34'] as const;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** PAB-AWS-*, PAB-K8S-*: placement and cluster settings. */
export function platformRules(ctx: RuleContext): void {
  const { spec, problems } = ctx;
  if (spec.aws) {
    if (!/^\d{12}$/.test(spec.aws.account)) problems.error('PAB-AWS-001', ['spec', 'aws', 'account'], `${show(spec.aws.account)} is not a 12-digit AWS account id (quote it in YAML)`);
    if (!REGION.test(spec.aws.region)) problems.error('PAB-AWS-002', ['spec', 'aws', 'region'], `${show(spec.aws.region)} is not an AWS region like eu-central-1`);
  }
  const k = spec.kubernetes;
  if (!(SUPPORTED_K8S_VERSIONS as readonly string[]).includes(k.version)) {
    problems.error('PAB-K8S-001', ['spec', 'kubernetes', 'version'], `${show(k.version)} is not supported — use one of ${SUPPORTED_K8S_VERSIONS.join(', ')} (quoted)`);
  }
  if (k.oidc) {
    if (!/^https:\/\/[^\s/$.?#][^\s]*$/.test(k.oidc.issuerUrl)) {
      problems.error('PAB-K8S-002', ['spec', 'kubernetes', 'oidc', 'issuerUrl'], `${show(k.oidc.issuerUrl)} — the issuer must be an https URL`);
    }
    if (k.oidc.clientId.trim() === '') problems.error('PAB-K8S-003', ['spec', 'kubernetes', 'oidc', 'clientId'], 'must not be empty');
    if (k.oidc.groupsPrefix.startsWith('system:')) {
      problems.error('PAB-K8S-004', ['spec', 'kubernetes', 'oidc', 'groupsPrefix'], `${show(k.oidc.groupsPrefix)} — a "system:" prefix would let IdP groups impersonate Kubernetes system groups`);
    }
  }
}

/** PAB-SEC-002..: the secret store is fully configured and rotation is bounded. */
export function secretStoreRules(ctx: RuleContext): void {
  const { spec, problems } = ctx;
  const s = spec.secrets;
  const path = ['spec', 'secrets'];
  if (s.rotationDays < 1 || s.rotationDays > 365) problems.error('PAB-SEC-002', [...path, 'rotationDays'], `${s.rotationDays} is out of range — use 1 to 365`);
  else if (s.rotationDays > 90) problems.warn('PAB-SEC-002', [...path, 'rotationDays'], `${s.rotationDays} days is longer than the common 90-day rotation policy`);
  if (!/^[\w/.-]{1,128}$/.test(s.keyPrefix) || s.keyPrefix.startsWith('/') || s.keyPrefix.endsWith('/')) {
    problems.error('PAB-SEC-003', [...path, 'keyPrefix'], `${show(s.keyPrefix)} — letters, digits and / . _ - only, no leading or trailing '/'`);
  }
  if (s.store === 'aws-secrets-manager' && !spec.aws) {
    problems.error('PAB-SEC-004', [...path, 'store'], 'aws-secrets-manager needs spec.aws — use vault or existing-cluster-store on a customer-run cluster');
  }
  if (s.store === 'vault') {
    if (!s.vault) problems.error('PAB-SEC-004', [...path, 'vault'], 'store: vault needs vault.server and vault.role');
    else if (!/^https:\/\//.test(s.vault.server)) problems.error('PAB-SEC-004', [...path, 'vault', 'server'], `${show(s.vault.server)} — Vault must be reached over https`);
  } else if (s.vault) {
    problems.warn('PAB-SEC-004', [...path, 'vault'], `is ignored: store is ${s.store}`);
  }
  if (s.store === 'existing-cluster-store') {
    if (!s.existingStoreName || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s.existingStoreName)) {
      problems.error('PAB-SEC-004', [...path, 'existingStoreName'], `${show(s.existingStoreName)} — store: existing-cluster-store needs the name of a ClusterSecretStore`);
    }
  } else if (s.existingStoreName) {
    problems.warn('PAB-SEC-004', [...path, 'existingStoreName'], `is ignored: store is ${s.store}`);
  }
}

/** PAB-AUD-*: retention and lock mode; weaker than the baseline needs a reason. */
export function auditRules(ctx: RuleContext): void {
  const { spec, problems } = ctx;
  const a = spec.audit;
  const path = ['spec', 'audit'];
  const hasReason = a.reason !== undefined && a.reason.trim().length >= 8;
  if (a.retentionDays < 1 || a.retentionDays > 36500) {
    problems.error('PAB-AUD-001', [...path, 'retentionDays'], `${a.retentionDays} is out of range — use 1 to 36500`);
  } else if (a.retentionDays < MIN_RETENTION_DAYS_WITHOUT_REASON && !hasReason) {
    problems.error('PAB-AUD-002', [...path, 'retentionDays'],
      `${a.retentionDays} days is below ${MIN_RETENTION_DAYS_WITHOUT_REASON} — keep ≥ ${MIN_RETENTION_DAYS_WITHOUT_REASON} or give audit.reason`);
  }
  if (a.objectLock === 'none' && !hasReason) {
    problems.error('PAB-AUD-003', [...path, 'objectLock'], 'none leaves audit logs deletable — use compliance or governance, or give audit.reason');
  }
  if (!spec.aws && !a.bucket) {
    problems.error('PAB-AUD-004', [...path, 'bucket'], 'a customer-run cluster (no spec.aws) must name the request-audit bucket');
  }
  if (a.bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(a.bucket)) {
    problems.error('PAB-AUD-004', [...path, 'bucket'], `${show(a.bucket)} is not an S3 bucket name`);
  }
  if (a.bucket !== undefined && !spec.aws && !a.bucketRegion) {
    problems.error('PAB-AUD-005', [...path, 'bucketRegion'], 'required with audit.bucket when spec.aws is absent');
  }
  if (spec.aws && a.bucketRegion !== undefined && a.bucketRegion !== spec.aws.region) {
    problems.error('PAB-AUD-009', [...path, 'bucketRegion'],
      `${show(a.bucketRegion)} differs from spec.aws.region ${show(spec.aws.region)} — the boundary has no internet path and S3 VPC endpoints reach buckets of their own region only; keep the audit bucket in ${spec.aws.region} and copy to a central archive with S3 replication`);
  }
  if (spec.aws && spec.name.length <= NAME_MAX_LENGTH.boundary) {
    // The bucket names the CloudFormation target creates (lib/plan/names.ts derives them with the same function).
    const derived = [...(a.bucket === undefined ? [['audit.bucket', derivedBucketName(spec.name, 'audit', spec.aws)]] : []),
      ['access-log bucket', derivedBucketName(spec.name, 'logs', spec.aws)]];
    for (const [what, bucket] of derived) {
      if (bucket.length > 63) {
        problems.error('PAB-AUD-004', a.bucket === undefined ? [...path, 'bucket'] : ['metadata', 'name'],
          `the derived ${what} name ${JSON.stringify(bucket)} has ${bucket.length} characters; S3 allows 63 — shorten metadata.name${a.bucket === undefined ? ' or set audit.bucket' : ''}`);
      }
    }
  }
  if (a.endpointUrl !== undefined) {
    if (spec.aws) problems.warn('PAB-AUD-008', [...path, 'endpointUrl'], 'is ignored: on AWS the audit bucket is reached through the S3 VPC endpoint');
    else if (!/^https:\/\/[a-z0-9.-]+(:\d+)?(\/\S*)?$/i.test(a.endpointUrl)) problems.error('PAB-AUD-008', [...path, 'endpointUrl'], `${show(a.endpointUrl)} — an S3-compatible endpoint must be an https URL`);
  }
  if (!spec.aws && !a.sinkCidrs) {
    problems.error('PAB-AUD-006', [...path, 'sinkCidrs'], 'a customer-run cluster must say through which CIDRs the audit bucket is reached (network policy egress on 443)');
  } else if (spec.aws && a.sinkCidrs) {
    // On AWS the plan places the S3 and AWS API interface endpoints in the data-zone subnets and admits exactly those.
    problems.warn('PAB-AUD-006', [...path, 'sinkCidrs'], 'is ignored: on AWS, pods reach S3 and the AWS APIs through the boundary\'s VPC interface endpoints in the data-zone subnets');
  }
  const r = spec.resilience;
  if (r.rtoMinutes < 1 || r.rtoMinutes > 10080) problems.error('PAB-AUD-007', ['spec', 'resilience', 'rtoMinutes'], `${r.rtoMinutes} is out of range — use 1 to 10080`);
  if (r.rpoMinutes < 0 || r.rpoMinutes > 10080) problems.error('PAB-AUD-007', ['spec', 'resilience', 'rpoMinutes'], `${r.rpoMinutes} is out of range — use 0 to 10080`);
}
