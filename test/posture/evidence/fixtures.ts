import type { Posture } from '../../../lib/posture/types';
import {
  addEncryption, addFlow, addIdentity, addModelAccess, addNamespace, addRedaction, addRetention, addRule, addSecret, addSource, cfn, cidr, emptyPosture,
  finish, k8s, ns, pods, tcp, type DraftPosture,
} from './posture-builder';

/** Fake artifact digests (64 hex). */
export const SHA = { k8s: 'a'.repeat(64), cfn: 'b'.repeat(64) };

function gatewayPaths(p: DraftPosture, b: string, opts: { models: string[]; presidio: boolean; redis: boolean; stateCidrs: string[]; auditCidrs: string[]; s3Weights: boolean }): void {
  const gw = pods(`${b}-gateway`, 'gateway');
  addFlow(p, 'reconcile-to-gateway', pods(`${b}-gateway`, 'gateway-reconcile'), gw, [tcp(4000)], 'team reconcile Job calls the admin API');
  for (const m of opts.models) {
    const runtime = pods(`${b}-models`, `vllm-${m}`);
    addFlow(p, `gateway-to-vllm-${m}`, gw, runtime, [tcp(8000)], `gateway routes ${m} requests`);
    if (opts.s3Weights) addRule(p, `${b}-models`, `allow-vllm-${m}-to-model-store-egress`, 'egress', runtime, opts.auditCidrs.map(cidr), [tcp(443)], `stream weights from s3://${b}-models/${m}/`);
  }
  if (opts.presidio) {
    for (const x of ['presidio-analyzer', 'presidio-anonymizer']) addFlow(p, `gateway-to-${x}`, gw, pods(`${b}-gateway`, x), [tcp(3000)], 'PII redaction');
  }
  addRule(p, `${b}-gateway`, 'allow-gateway-to-database-egress', 'egress', gw, opts.stateCidrs.map(cidr), [tcp(5432)], 'gateway state (PostgreSQL)');
  if (opts.redis) addRule(p, `${b}-gateway`, 'allow-gateway-to-redis-egress', 'egress', gw, opts.stateCidrs.map(cidr), [tcp(6379)], 'shared rate-limit counters (Redis)');
  addRule(p, `${b}-gateway`, 'allow-gateway-to-audit-sink-egress', 'egress', gw, opts.auditCidrs.map(cidr), [tcp(443)], `request audit to s3://${b}-audit/gateway/requests`);
}

function awsLayer(p: DraftPosture, b: string, stack: string, region: string, retentionDays: number, lock: 'COMPLIANCE' | 'GOVERNANCE', reason?: string): void {
  addSource(p, 'cloudformation', `cloudformation/${stack}.template.json`, SHA.cfn);
  p.network.push({
    key: `network/aws/security-group/GatewaySg/ingress`, evidence: [cfn(stack, 'BoundaryNetworkGatewaySg1A2B3C4D')], layer: 'aws', mechanism: 'SecurityGroup', direction: 'ingress',
    subject: { kind: 'security-group', name: 'GatewaySg' }, peers: [{ kind: 'security-group', name: 'LoadBalancerSg' }], ports: [tcp(4000)], public: false, purpose: 'load balancer to gateway pods',
  }, {
    key: `network/aws/vpc-endpoint/s3`, evidence: [cfn(stack, 'BoundaryNetworkS3EndpointA1B2C3D4')], layer: 'aws', mechanism: 'VpcEndpoint', direction: 'egress',
    subject: { kind: 'security-group', name: 'ModelsSg' }, peers: [{ kind: 'aws-service', service: `com.amazonaws.${region}.s3` }], ports: [tcp(443)], public: false, purpose: 'S3 through the interface endpoint',
  });
  const kms = `arn:aws:kms:${region}:111122223333:alias/${b}-boundary`;
  const audit = `${b}-audit-111122223333-${region}`;
  addRetention(p, { kind: 'bucket', name: audit, lock, lockDays: retentionDays, legalHold: false, versioned: true, evidence: [cfn(stack, 'BoundaryAuditBucket2A4766B7')], ...(reason ? { reason } : {}) });
  addRetention(p, { kind: 'bucket', name: `${b}-logs-111122223333-${region}`, lock: 'none', days: retentionDays, legalHold: false, versioned: true, evidence: [cfn(stack, 'BoundaryAuditAccessLogs54EFF4D9')] });
  addRetention(p, { kind: 'trail', name: `${b}-trail`, lock, lockDays: retentionDays, legalHold: false, versioned: true, evidence: [cfn(stack, 'BoundaryAuditBucket2A4766B7'), cfn(stack, 'BoundaryAuditTrailBF142104')] });
  addEncryption(p, { kind: 's3', name: audit, atRest: 'cmk', inTransit: 'enforced', publicAccessBlocked: true, evidence: [cfn(stack, 'BoundaryAuditBucket2A4766B7')] });
  addEncryption(p, { kind: 'eks-secrets', name: b, atRest: 'cmk', evidence: [cfn(stack, 'BoundaryCluster1C2D3E4F')] });
  addEncryption(p, { kind: 'cloudtrail', name: `${b}-trail`, atRest: 'cmk', evidence: [cfn(stack, 'BoundaryAuditTrailBF142104')] });
  for (const [name, id] of [[`/private-ai-boundary/${b}/vpc-flow-logs`, 'BoundaryNetworkFlowLogGroupCF2B0B8B'], [`/aws/cloudtrail/${audit}`, 'BoundaryAuditTrailLogGroup560CA6D7'],
    [`/aws/eks/${b}/cluster`, 'BoundaryAuditControlPlaneLogGroupE4DA76BF'], [`/aws/rds/instance/${b}-gateway/postgresql`, 'BoundaryGatewayStateLogpostgresql45F4942C']]) {
    addRetention(p, { kind: 'log-group', name, days: retentionDays, evidence: [cfn(stack, id)] });
    addEncryption(p, { kind: 'log-group', name, atRest: 'cmk', evidence: [cfn(stack, id)] });
  }
  const readers = [`system:serviceaccount:${b}-gateway:gateway`, `${b}-external-secrets`];
  for (const name of ['gateway/master-key', 'gateway/salt-key', 'gateway/database-credentials']) {
    addSecret(p, { store: 'aws-secrets-manager', name: `pab/${b}/${name}`, atRest: 'cmk', kmsKey: kms, rotation: { by: 'customer', days: 30 }, readers,
      evidence: [cfn(stack, `BoundarySecrets${name.replace(/\W/g, '')}`), k8s('ExternalSecret', `${b}-gateway`, name.replace('/', '-'))] });
  }
  addSecret(p, { store: 'aws-secrets-manager', name: `pab/${b}/gateway/redis-endpoint`, atRest: 'cmk', kmsKey: kms, rotation: { by: 'none', reason: 'not a credential' }, readers,
    evidence: [cfn(stack, 'BoundaryGatewayStateCacheEndpoint85F46BE6')] });
  // Controllers the platform team installs: isolated by the boundary's policies, outside its namespaces.
  addRule(p, 'kube-system', 'deny-aws-load-balancer-controller', 'egress', pods('kube-system', 'aws-load-balancer-controller'), [cidr('10.40.0.0/24')], [tcp(443)],
    'aws-load-balancer-controller watches and updates its objects');
}

/** Like acme-prod: AWS, 3 zones + a team, CIDR and namespace consumers, redaction, a grant and MFA-only break-glass, 400-day COMPLIANCE. */
export function acmeProd(): Posture {
  const b = 'acme-prod';
  const stack = `${b}-boundary`;
  const p = emptyPosture(b, { customer: 'Acme Corp', owner: 'secops@acme.example' });
  addSource(p, 'kubernetes', 'kubernetes/manifests.yaml', SHA.k8s);
  for (const z of ['gateway', 'models', 'data', 'team-research']) addNamespace(p, `${b}-${z}`);
  const gw = pods(`${b}-gateway`, 'gateway');
  addRule(p, `${b}-gateway`, 'allow-consumer-acme-apps-to-gateway-ingress', 'ingress', gw, [cidr('10.60.0.0/16')], [tcp(4000)], 'consumer acme-apps calls the gateway');
  addRule(p, `${b}-gateway`, 'allow-consumer-notebooks-to-gateway-ingress', 'ingress', gw, [ns('research-notebooks')], [tcp(4000)], 'consumer notebooks calls the gateway');
  gatewayPaths(p, b, { models: ['llama-3-1-8b'], presidio: true, redis: true, stateCidrs: ['10.40.60.0/24', '10.40.61.0/24', '10.40.62.0/24'],
    auditCidrs: ['10.40.60.0/24', '10.40.61.0/24', '10.40.62.0/24'], s3Weights: true });
  awsLayer(p, b, stack, 'eu-central-1', 400, 'COMPLIANCE');
  addSecret(p, { store: 'aws-secrets-manager', name: `pab/${b}/models/llama-3-1-8b/api-key`, atRest: 'cmk', kmsKey: `arn:aws:kms:eu-central-1:111122223333:alias/${b}-boundary`,
    rotation: { by: 'customer', days: 30 }, readers: [`system:serviceaccount:${b}-gateway:gateway`, `system:serviceaccount:${b}-models:vllm-llama-3-1-8b`] });
  addSecret(p, { store: 'aws-secrets-manager', name: `pab/${b}/items/hf-token`, atRest: 'cmk', kmsKey: `arn:aws:kms:eu-central-1:111122223333:alias/${b}-boundary`,
    rotation: { by: 'customer', days: 30 }, readers: [`${b}-external-secrets`] });
  p.owners.secretOwners.push({ secret: `pab/${b}/items/hf-token`, owner: 'ml-platform@acme.example' });
  addModelAccess(p, 'research', 'llama-3-1-8b', ['acme-research'], { requestsPerMinute: 120, tokensPerMinute: 200000 }, `${b}-gateway`);
  const everyNs = [`${b}-data`, `${b}-gateway`, `${b}-models`, `${b}-team-research`];
  addIdentity(p, { layer: 'kubernetes', principal: { kind: 'group', name: 'oidc:acme-research' }, level: 'team-member', scope: [`${b}-team-research`] });
  addIdentity(p, { layer: 'kubernetes', principal: { kind: 'group', name: 'pab:grant:111122223333:role:vendor-support' }, level: 'view', scope: everyNs, expires: '2027-07-01T00:00:00Z' });
  addIdentity(p, { layer: 'kubernetes', principal: { kind: 'group', name: 'pab:break-glass' }, level: 'cluster-admin', scope: 'cluster', mfa: true,
    evidence: [k8s('ClusterRoleBinding', undefined, `${b}-break-glass`)] });
  addIdentity(p, { layer: 'aws', principal: { kind: 'iam-role', name: `${b}-break-glass` }, level: 'iam', scope: 'cluster', mfa: true,
    trust: { principals: ['arn:aws:iam::111122223333:root'], conditions: [{ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] }] }, evidence: [cfn(stack, 'BoundaryBreakGlassRole8BF436EF')] });
  addIdentity(p, { key: `identity/aws/iam-role/${b}-break-glass/access-entry`, layer: 'aws', principal: { kind: 'iam-role', name: `${b}-break-glass` }, level: 'cluster-admin', scope: 'cluster', mfa: true,
    evidence: [cfn(stack, 'BoundaryBreakGlassAccessEntry404C2C9D'), cfn(stack, 'BoundaryBreakGlassRole8BF436EF')] });
  addIdentity(p, { layer: 'aws', principal: { kind: 'iam-role', name: `${b}-grant-vendor-support-1260c4dd` }, level: 'iam', scope: 'cluster', expires: '2027-07-01T00:00:00Z',
    trust: { principals: ['arn:aws:iam::111122223333:role/vendor-support'], conditions: [{ operator: 'DateLessThan', key: 'aws:CurrentTime', values: ['2027-07-01T00:00:00Z'] }] },
    evidence: [cfn(stack, 'BoundaryGrantgrantvendorsupport1260c4ddRoleBF8E807A')] });
  addIdentity(p, { key: `identity/aws/iam-role/${b}-grant-vendor-support-1260c4dd/access-entry`, layer: 'aws', principal: { kind: 'iam-role', name: `${b}-grant-vendor-support-1260c4dd` },
    level: 'view', scope: everyNs, expires: '2027-07-01T00:00:00Z', evidence: [cfn(stack, 'BoundaryGrantgrantvendorsupport1260c4ddAccessEntryB5F6EAAD')] });
  addIdentity(p, { layer: 'aws', principal: { kind: 'iam-role', name: `${b}-gateway` }, level: 'iam', scope: [`${b}-gateway`],
    trust: { principals: ['pods.eks.amazonaws.com'], conditions: [{ operator: 'StringEquals', key: 'aws:SourceAccount', values: ['111122223333'] }] }, evidence: [cfn(stack, 'BoundaryIdentitygatewayRole7F12A84D')] });
  for (const e of ['EMAIL_ADDRESS', 'PERSON', 'PHONE_NUMBER']) addRedaction(p, e, 'mask', `${b}-gateway`);
  for (const e of ['CREDIT_CARD', 'US_SSN']) addRedaction(p, e, 'block', `${b}-gateway`);
  return finish(p);
}

/** The reason globex-staging gives for 90-day GOVERNANCE retention. */
export const GLOBEX_REASON = 'Staging holds synthetic data only (GLX-88); 90-day retention agreed with Globex security';

/** Like globex-staging: AWS, one namespace consumer, no Redis, PERSON allowed, 90-day GOVERNANCE retention with its reason. */
export function globexStaging(withReason = true): Posture {
  const reason = withReason ? GLOBEX_REASON : undefined;
  const b = 'globex-staging';
  const p = emptyPosture(b, { customer: 'Globex', owner: 'platform@globex.example' });
  addSource(p, 'kubernetes', 'kubernetes/manifests.yaml', SHA.k8s);
  for (const z of ['gateway', 'models', 'data', 'team-qa']) addNamespace(p, `${b}-${z}`);
  addRule(p, `${b}-gateway`, 'allow-consumer-staging-apps-to-gateway-ingress', 'ingress', pods(`${b}-gateway`, 'gateway'), [ns('globex-apps')], [tcp(4000)], 'consumer staging-apps calls the gateway');
  gatewayPaths(p, b, { models: ['mistral-7b'], presidio: true, redis: false, stateCidrs: ['10.80.14.0/26', '10.80.14.64/26'], auditCidrs: ['10.80.14.0/26', '10.80.14.64/26'], s3Weights: true });
  awsLayer(p, b, `${b}-boundary`, 'us-east-2', 90, 'GOVERNANCE', reason);
  addModelAccess(p, 'qa', 'mistral-7b', ['globex-qa'], { requestsPerMinute: 60, tokensPerMinute: 100000 }, `${b}-gateway`);
  addIdentity(p, { layer: 'kubernetes', principal: { kind: 'group', name: 'oidc:globex-qa' }, level: 'team-member', scope: [`${b}-team-qa`] });
  addIdentity(p, { layer: 'aws', principal: { kind: 'iam-role', name: `${b}-gateway` }, level: 'iam', scope: [`${b}-gateway`],
    trust: { principals: ['pods.eks.amazonaws.com'], conditions: [] }, evidence: [cfn(`${b}-boundary`, 'BoundaryIdentitygatewayRole7F12A84D')] });
  addRedaction(p, 'EMAIL_ADDRESS', 'mask', `${b}-gateway`);
  addRedaction(p, 'PERSON', 'allow', `${b}-gateway`);
  return finish(p);
}

/** Like initech-onprem: a customer-run cluster (Kubernetes artifacts only), Vault secrets, the customer's audit store. */
export function initechOnprem(): Posture {
  const b = 'initech-onprem';
  const p = emptyPosture(b, { customer: 'Initech', owner: 'security@initech.example' });
  addSource(p, 'kubernetes', 'kubernetes/manifests.yaml', SHA.k8s);
  for (const z of ['gateway', 'models', 'data', 'team-engineering', 'team-finance']) addNamespace(p, `${b}-${z}`);
  const gw = pods(`${b}-gateway`, 'gateway');
  addRule(p, `${b}-gateway`, 'allow-consumer-office-vpn-to-gateway-ingress', 'ingress', gw, [cidr('192.168.50.0/24')], [tcp(4000)], 'consumer office-vpn calls the gateway');
  addRule(p, `${b}-gateway`, 'allow-consumer-tps-reports-to-gateway-ingress', 'ingress', gw, [ns('tps')], [tcp(4000)], 'consumer tps-reports calls the gateway');
  gatewayPaths(p, b, { models: ['llama-3-3-70b', 'qwen-2-5-7b'], presidio: true, redis: true, stateCidrs: ['172.31.210.0/24'], auditCidrs: ['172.31.200.0/24'], s3Weights: false });
  for (const name of ['gateway/master-key', 'gateway/salt-key', 'gateway/audit-s3', 'items/tps-signing-cert']) {
    addSecret(p, { store: 'vault', name: `pab/${b}/${name}`, readers: [`system:serviceaccount:${b}-gateway:gateway`, `system:serviceaccount:${b}-gateway:secrets-reader`] });
  }
  p.owners.secretOwners.push({ secret: `pab/${b}/gateway/audit-s3`, owner: 'security@initech.example' }, { secret: `pab/${b}/items/tps-signing-cert`, owner: 'security@initech.example' });
  addModelAccess(p, 'engineering', 'llama-3-3-70b', ['eng', 'eng-leads'], { requestsPerMinute: 1200, tokensPerMinute: 4000000 }, `${b}-gateway`);
  addModelAccess(p, 'engineering', 'qwen-2-5-7b', ['eng', 'eng-leads'], { requestsPerMinute: 1200, tokensPerMinute: 4000000 }, `${b}-gateway`);
  addModelAccess(p, 'finance', 'qwen-2-5-7b', ['fin-analysts'], { requestsPerMinute: 100, tokensPerMinute: 300000 }, `${b}-gateway`);
  addIdentity(p, { layer: 'kubernetes', principal: { kind: 'group', name: 'sso:eng' }, level: 'team-member', scope: [`${b}-team-engineering`] });
  addIdentity(p, { layer: 'kubernetes', principal: { kind: 'group', name: 'sso:eng-leads' }, level: 'team-member', scope: [`${b}-team-engineering`] });
  addIdentity(p, { layer: 'kubernetes', principal: { kind: 'group', name: 'sso:fin-analysts' }, level: 'team-member', scope: [`${b}-team-finance`] });
  for (const e of ['CREDIT_CARD', 'US_BANK_NUMBER', 'US_SSN']) addRedaction(p, e, 'block', `${b}-gateway`);
  addRedaction(p, 'EMAIL_ADDRESS', 'mask', `${b}-gateway`);
  return finish(p);
}
