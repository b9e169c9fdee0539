/** Minimal hand-built posture entries for the diff tests: every builder takes the fields a case changes. */
import { classify, type AnyPostureEntry, type Change, type ChangeKind } from '../../../lib/posture/diff';
import {
  POSTURE_SCHEMA,
  type IamCondition, type IamStatement, type IdentityGrant, type ModelAccess, type NamespaceHardening, type NetworkPeer, type NetworkRule,
  type Posture, type PortRange, type PostureSection, type RedactionEntry, type RetentionEntry, type SecretEntry, type StoreEncryption,
} from '../../../lib/posture/types';

const ev = (ref: string): IdentityGrant['evidence'] => [{ source: 'kubernetes', ref }];

// ---- peers and ports --------------------------------------------------------------------------------------------
export const internet: NetworkPeer = { kind: 'internet' };
export const cidr = (c: string): NetworkPeer => ({ kind: 'cidr', cidr: c });
export const ns = (namespace: string): NetworkPeer => ({ kind: 'namespace', namespace });
export const pods = (namespace: string, selector: Record<string, string>): NetworkPeer => ({ kind: 'pods', namespace, selector });
export const sg = (name: string): NetworkPeer => ({ kind: 'security-group', name });
export const prefixList = (id: string): NetworkPeer => ({ kind: 'prefix-list', id });
export const service = (s: string): NetworkPeer => ({ kind: 'aws-service', service: s });
export const tcp = (from: number, to = from): PortRange => ({ protocol: 'tcp', from, to });
export const udp = (from: number, to = from): PortRange => ({ protocol: 'udp', from, to });
export const allPorts: PortRange = { protocol: 'all', from: 0, to: 65535 };

/** An ingress NetworkPolicy rule to the gateway pods, from 10.60.0.0/16 on tcp/4000 unless overridden. */
export function rule(over: Partial<NetworkRule> = {}): NetworkRule {
  return {
    key: 'network/kubernetes/acme-prod-gateway/NetworkPolicy/allow-consumers/ingress',
    evidence: ev('NetworkPolicy/acme-prod-gateway/allow-consumers'),
    layer: 'kubernetes',
    mechanism: 'NetworkPolicy',
    direction: 'ingress',
    subject: pods('acme-prod-gateway', { app: 'gateway' }),
    peers: [cidr('10.60.0.0/16')],
    ports: [tcp(4000)],
    public: false,
    ...over,
  };
}

// ---- IAM ----------------------------------------------------------------------------------------------------------
export const cond = (operator: string, key: string, ...values: string[]): IamCondition => ({ operator, key, values });
export const MFA = cond('Bool', 'aws:MultiFactorAuthPresent', 'true');
export function allow(actions: string[], resources: string[], conditions: IamCondition[] = [], principals?: string[]): IamStatement {
  return { effect: 'Allow', actions, resources, conditions, ...(principals ? { principals } : {}) };
}
export function deny(actions: string[], resources: string[], conditions: IamCondition[] = []): IamStatement {
  return { effect: 'Deny', actions, resources, conditions };
}

/** The gateway's IAM role: assumable by the Pod Identity service, allowed to write the audit prefix. */
export function role(over: Partial<IdentityGrant> = {}): IdentityGrant {
  return {
    key: 'identity/aws/iam-role/acme-prod-gateway',
    evidence: [{ source: 'cloudformation', ref: 'acme-prod-boundary:GatewayRole' }],
    layer: 'aws',
    principal: { kind: 'iam-role', name: 'acme-prod-gateway' },
    level: 'iam',
    scope: 'cluster',
    trust: { principals: ['pods.eks.amazonaws.com'], conditions: [] },
    permissions: [allow(['s3:PutObject'], ['arn:aws:s3:::acme-audit/gateway/*'])],
    ...over,
  };
}

/** A Kubernetes group grant (`view` on one namespace unless overridden). */
export function grant(over: Partial<IdentityGrant> = {}): IdentityGrant {
  return {
    key: 'identity/kubernetes/group/oidc:acme-contractors/acme-prod-team-research',
    evidence: ev('RoleBinding/acme-prod-team-research/grant-contractors'),
    layer: 'kubernetes',
    principal: { kind: 'group', name: 'oidc:acme-contractors' },
    level: 'view',
    scope: ['acme-prod-team-research'],
    expires: '2026-12-31T00:00:00Z',
    ...over,
  };
}

// ---- the other sections -----------------------------------------------------------------------------------------
export function access(over: Partial<ModelAccess> = {}): ModelAccess {
  return {
    key: 'model-access/research/llama-3-1-8b',
    evidence: ev('Job/acme-prod-gateway/reconcile-teams'),
    team: 'research',
    model: 'llama-3-1-8b',
    groups: ['acme-research'],
    rateLimits: { requestsPerMinute: 300, tokensPerMinute: 500000 },
    ...over,
  };
}

export function secret(over: Partial<SecretEntry> = {}): SecretEntry {
  return {
    key: 'secret/aws-secrets-manager/pab/acme-prod/gateway/master-key',
    evidence: [{ source: 'cloudformation', ref: 'acme-prod-boundary:GatewayMasterKey' }],
    store: 'aws-secrets-manager',
    name: 'pab/acme-prod/gateway/master-key',
    atRest: 'cmk',
    kmsKey: 'alias/acme-prod',
    rotation: { by: 'customer', days: 30 },
    readers: ['system:serviceaccount:acme-prod-gateway:gateway'],
    ...over,
  };
}

export function store(over: Partial<StoreEncryption> = {}): StoreEncryption {
  return {
    key: 'encryption/s3/acme-prod-audit',
    evidence: [{ source: 'cloudformation', ref: 'acme-prod-boundary:AuditBucket' }],
    kind: 's3',
    name: 'acme-prod-audit',
    atRest: 'cmk',
    inTransit: 'enforced',
    publicAccessBlocked: true,
    ...over,
  };
}

export function retention(over: Partial<RetentionEntry> = {}): RetentionEntry {
  return {
    key: 'retention/bucket/acme-prod-audit',
    evidence: [{ source: 'cloudformation', ref: 'acme-prod-boundary:AuditBucket' }],
    kind: 'bucket',
    name: 'acme-prod-audit',
    days: 400,
    lock: 'COMPLIANCE',
    lockDays: 400,
    legalHold: false,
    versioned: true,
    ...over,
  };
}

export function redaction(over: Partial<RedactionEntry> = {}): RedactionEntry {
  return {
    key: 'redaction/EMAIL_ADDRESS',
    evidence: ev('ConfigMap/acme-prod-gateway/litellm-config'),
    entity: 'EMAIL_ADDRESS',
    action: 'mask',
    enforcedBy: 'gateway (presidio guardrail, pre_call)',
    ...over,
  };
}

export function hardening(over: Partial<NamespaceHardening> = {}): NamespaceHardening {
  return {
    key: 'hardening/acme-prod-gateway',
    evidence: ev('Namespace/acme-prod-gateway'),
    namespace: 'acme-prod-gateway',
    pss: { enforce: 'restricted', audit: 'restricted', warn: 'restricted' },
    deviations: [],
    ...over,
  };
}

// ---- postures -----------------------------------------------------------------------------------------------------

/** A posture holding exactly the given entries (sections inferred from the keys' first segment). */
export function posture(entries: readonly AnyPostureEntry[], boundary = 'acme-prod'): Posture {
  const p: Record<PostureSection, AnyPostureEntry[]> = {
    network: [], modelAccess: [], identity: [], secrets: [], encryption: [], retention: [], redaction: [], hardening: [],
  };
  for (const e of entries) p[sectionOf(e.key)].push(e);
  return {
    schema: POSTURE_SCHEMA,
    boundary,
    owners: { customer: 'Acme Corp', owner: 'secops@acme.example', secretOwners: [] },
    sources: [],
    ...(p as unknown as Pick<Posture, PostureSection>),
  };
}

/** The posture section of a key (`model-access/…` → modelAccess). */
export function sectionOf(key: string): PostureSection {
  const first = key.split('/')[0];
  const map: Record<string, PostureSection> = {
    network: 'network', 'model-access': 'modelAccess', identity: 'identity', secret: 'secrets', encryption: 'encryption',
    retention: 'retention', redaction: 'redaction', hardening: 'hardening',
  };
  const s = map[first];
  if (!s) throw new Error(`no section for key ${key}`);
  return s;
}

/** The one change between two versions of one entry (either may be absent). */
export function change(before: AnyPostureEntry | undefined, after: AnyPostureEntry | undefined): Change {
  const changes = classify(posture(before ? [before] : []), posture(after ? [after] : []));
  if (changes.length !== 1) throw new Error(`expected one change, got ${changes.length}: ${JSON.stringify(changes.map((c) => c.summary))}`);
  return changes[0];
}

/** The kind of the one change between two versions of one entry. */
export function kindOf(before: AnyPostureEntry | undefined, after: AnyPostureEntry | undefined): ChangeKind {
  return change(before, after).kind;
}
