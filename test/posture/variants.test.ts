import type { Posture } from '../../lib/posture/types';
import { exampleVariant } from '../helpers/examples';
import { postureOf } from './posture-helpers';

/** Postures of spec variants whose difference must show, read back from the artifacts. */
describe('public ingress (acme-prod variant)', () => {
  const plan = exampleVariant('acme-prod', (m) => {
    m.spec.network.ingress = 'public';
    m.spec.network.waf = true;
    m.spec.network.publicIngressReason = 'partner API, ticket SEC-77';
  });
  let posture: Posture;
  beforeAll(async () => {
    posture = await postureOf(plan);
  });

  test('public rules come first: the internet-facing Ingress and the public subnets\' internet routes, nothing else', () => {
    const publicKeys = posture.network.filter((r) => r.public).map((r) => r.key);
    expect(posture.network.slice(0, publicKeys.length).every((r) => r.public)).toBe(true);
    expect(publicKeys).toEqual([
      ...[0, 1, 2].map((az) => expect.stringMatching(new RegExp(`^network/aws/route/acme-prod-public-${az}/`))),
      'network/kubernetes/acme-prod-gateway/Ingress/gateway-public',
    ]);
  });

  test('the Ingress admits the internet on 443 only, to the gateway pods, behind the WAF, with the declared reason', () => {
    const ingress = posture.network.find((r) => r.mechanism === 'Ingress');
    expect(ingress).toEqual(expect.objectContaining({
      layer: 'kubernetes', direction: 'ingress', public: true, peers: [{ kind: 'internet' }], ports: [{ protocol: 'tcp', from: 443, to: 443 }],
      subject: { kind: 'pods', namespace: 'acme-prod-gateway', selector: { 'app.kubernetes.io/instance': 'acme-prod', 'app.kubernetes.io/name': 'gateway' } },
    }));
    expect(ingress?.purpose).toContain('partner API, ticket SEC-77');
    expect(ingress?.purpose).toContain('WAF web ACL acme-prod-gateway');
  });

  test('the public subnets route to the internet gateway; no other subnet routes out', () => {
    const routes = posture.network.filter((r) => r.mechanism === 'Route');
    expect(routes.map((r) => [r.subject, r.peers])).toEqual([0, 1, 2].map(() => [expect.objectContaining({ kind: 'cidr' }), [{ kind: 'internet' }]]));
    expect(routes.every((r) => r.evidence.some((e) => e.ref.includes('InternetGateway')))).toBe(true);
  });
});

describe('globex-staging with a legal hold and COMPLIANCE lock', () => {
  const plan = exampleVariant('globex-staging', (m) => {
    m.spec.audit.objectLock = 'compliance';
    m.spec.audit.legalHold = true;
    m.spec.audit.retentionDays = 730;
    delete m.spec.audit.reason;
  });

  test('the audit bucket records the legal hold, the lock mode and its days', async () => {
    const posture = await postureOf(plan);
    expect(posture.retention.find((r) => r.name === plan.gateway.audit.bucket)).toEqual(expect.objectContaining({
      kind: 'bucket', lock: 'COMPLIANCE', lockDays: 730, legalHold: true, versioned: true,
    }));
  });
});

describe('initech-onprem (customer-run, Vault) with a grant', () => {
  const plan = exampleVariant('initech-onprem', (m) => {
    m.spec.access = { grants: [{ principal: 'arn:aws:iam::123456789012:role/initech-sre', level: 'view', expires: '2027-03-31', reason: 'OPS-12 migration' }] };
  });

  test('the Kubernetes grant carries its annotated expiry; no AWS identity exists to read', async () => {
    const posture = await postureOf(plan);
    const grants = posture.identity.filter((g) => g.level === 'view');
    expect(grants.length).toBe(1);
    expect(grants[0]).toEqual(expect.objectContaining({ layer: 'kubernetes', expires: '2027-04-01T00:00:00Z' }));
    expect(grants[0].scope).toEqual(plan.namespaces.map((n) => n.name).sort());
    expect(posture.identity.filter((g) => g.layer === 'aws')).toEqual([]);
  });

  test('Vault secrets carry no encryption or rotation: the store is outside the artifacts', async () => {
    const posture = await postureOf(plan);
    expect(posture.secrets.length).toBeGreaterThan(0);
    for (const s of posture.secrets) {
      expect(s.store).toBe('vault');
      expect([s.atRest, s.rotation]).toEqual([undefined, undefined]);
    }
  });
});
