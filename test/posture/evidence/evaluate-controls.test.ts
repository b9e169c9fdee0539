import { CONTROL_IDS, evaluateControls, type ControlId, type ControlRow } from '../../../lib/posture/evidence';
import type { Posture } from '../../../lib/posture/types';
import { GLOBEX_REASON, acmeProd, globexStaging, initechOnprem } from './fixtures';
import { addRule, cidr, edit, INTERNET, pods, tcp } from './posture-builder';

const row = (posture: Posture, id: ControlId): ControlRow => evaluateControls(posture).find((c) => c.id === id)!;
const statuses = (posture: Posture) => Object.fromEntries(evaluateControls(posture).map((c) => [c.id, c.status]));

describe('evaluateControls: one row per control, in order', () => {
  test('six rows with titles, rule, evidence', () => {
    const rows = evaluateControls(acmeProd());
    expect(rows.map((r) => r.id)).toEqual([...CONTROL_IDS]);
    expect(rows.map((r) => r.title)).toEqual([
      'Identity & SSO/RBAC', 'API keys & access policy', 'Secrets handling', 'Logs, traces & retention', 'Redaction & output handling', 'Network isolation',
    ]);
    for (const r of rows) {
      expect(r.rule.length).toBeGreaterThan(20);
      expect(r.evidence.length).toBeGreaterThan(0);
    }
  });

  test('statuses of the example-like postures', () => {
    expect(statuses(acmeProd())).toEqual({ 'identity': 'met', 'api-keys': 'met', 'secrets': 'met', 'retention': 'met', 'redaction': 'met', 'network': 'met' });
    expect(statuses(globexStaging())).toEqual({ 'identity': 'met', 'api-keys': 'met', 'secrets': 'met', 'retention': 'met', 'redaction': 'met', 'network': 'met' });
    expect(statuses(initechOnprem())).toEqual({
      'identity': 'customer-owned', 'api-keys': 'met', 'secrets': 'customer-owned', 'retention': 'customer-owned', 'redaction': 'met', 'network': 'met',
    });
  });

  test('evidence is the entries\' refs, deduplicated and sorted', () => {
    const net = row(acmeProd(), 'network');
    const refs = net.evidence.map((e) => `${e.source}:${e.ref}`);
    expect(refs).toEqual([...new Set(refs)].sort());
    expect(refs).toContain('kubernetes:NetworkPolicy/acme-prod-gateway/default-deny');
  });

  test('provides is generated from the posture: a renamed namespace shows up, the spec is never read', () => {
    const renamed = edit(acmeProd(), (p) => {
      for (const h of p.hardening) if (h.namespace === 'acme-prod-data') (h as { namespace: string }).namespace = 'acme-prod-vault-zone';
      for (const r of p.network) if (r.subject.kind === 'namespace' && r.subject.namespace === 'acme-prod-data') (r as any).subject = { kind: 'namespace', namespace: 'acme-prod-vault-zone' };
    });
    expect(row(renamed, 'network').provides.join(' ')).toContain('acme-prod-vault-zone');
    expect(row(renamed, 'network').status).toBe('met');
  });
});

describe('network isolation', () => {
  test('a boundary namespace without default-deny egress is not met, naming it', () => {
    const p = edit(acmeProd(), (d) => {
      d.network = d.network.filter((r) => r.key !== 'network/kubernetes/acme-prod-models/NetworkPolicy/default-deny/egress');
    });
    const r = row(p, 'network');
    expect(r.status).toBe('not met');
    expect(r.findings).toEqual(['acme-prod-models: no default-deny for egress']);
  });

  test('a public rule with its purpose is met and listed as an exception with that purpose', () => {
    const p = edit(acmeProd(), (d) => {
      addRule(d, 'acme-prod-gateway', 'allow-public-ingress-to-gateway-ingress', 'ingress', pods('acme-prod-gateway', 'gateway'), [INTERNET], [tcp(4000)],
        'partner portal calls the gateway (SEC-9)');
    });
    const r = row(p, 'network');
    expect(r.status).toBe('met');
    expect(r.exceptions).toEqual([expect.objectContaining({ control: 'network', reason: 'partner portal calls the gateway (SEC-9)' })]);
    expect(r.provides.join(' ')).toContain('Public exposure: the internet → gateway (acme-prod-gateway) on TCP 4000');
    expect(r.customerOwns.join(' ')).toContain('web ACL');
  });

  test('a public rule without a purpose is not met', () => {
    const p = edit(acmeProd(), (d) => {
      addRule(d, 'acme-prod-gateway', 'allow-anything', 'ingress', pods('acme-prod-gateway', 'gateway'), [INTERNET, cidr('10.0.0.0/8')], [tcp(4000)]);
    });
    const r = row(p, 'network');
    expect(r.status).toBe('not met');
    expect(r.findings[0]).toMatch(/allow-anything\/ingress: admits the internet .* without a recorded purpose/);
    expect(r.exceptions[0].reason).toBeUndefined();
  });

  test('no boundary namespace at all is not met', () => {
    const p = edit(acmeProd(), (d) => {
      d.hardening = [];
      d.network = [];
    });
    expect(row(p, 'network').status).toBe('not met');
  });

  test('customer owns the consumer namespaces and the controllers; on a customer-run cluster the CNI and outside network too', () => {
    expect(row(acmeProd(), 'network').customerOwns).toEqual(expect.arrayContaining([
      'The workloads in the consumer namespaces admitted to the boundary: research-notebooks.',
      'Running the cluster components outside the boundary namespaces that these rules isolate, under the names they select: aws-load-balancer-controller (kube-system).',
    ]));
    expect(row(initechOnprem(), 'network').customerOwns.join(' ')).toContain('A CNI that enforces NetworkPolicy');
    expect(row(acmeProd(), 'network').customerOwns.join(' ')).not.toContain('A CNI that enforces NetworkPolicy');
  });
});

describe('identity & SSO/RBAC', () => {
  test('a grant without expiry is not met', () => {
    const p = edit(acmeProd(), (d) => {
      d.identity = d.identity.map((g) => (g.level === 'view' ? { ...g, expires: undefined } : g.level === 'iam' && g.expires ? { ...g, expires: undefined } : g));
    });
    const r = row(p, 'identity');
    expect(r.status).toBe('not met');
    expect(r.findings.some((f) => /view for pab:grant:111122223333:role:vendor-support never expires/.test(f))).toBe(true);
  });

  test('break-glass without MFA is not met; MFA recorded only on the role counts for its access entry', () => {
    const noMfa = edit(acmeProd(), (d) => {
      d.identity = d.identity.map((g) => (g.principal.name === 'pab:break-glass' ? { ...g, mfa: false } : g));
    });
    expect(row(noMfa, 'identity').findings).toEqual(['identity/kubernetes/group/pab:break-glass: cluster-admin for pab:break-glass does not require MFA']);
    const onRoleOnly = edit(acmeProd(), (d) => {
      d.identity = d.identity.map((g) => (g.level === 'cluster-admin' && g.layer === 'aws' ? { ...g, mfa: undefined } : g));
    });
    expect(row(onRoleOnly, 'identity').status).toBe('met');
    const unrecorded = edit(onRoleOnly, (d) => {
      d.identity = d.identity.map((g) => (g.principal.name === 'acme-prod-break-glass' ? { ...g, mfa: undefined } : g));
    });
    expect(row(unrecorded, 'identity').findings.some((f) => f.includes('records no MFA'))).toBe(true);
  });

  test('a role that trusts * without a condition is not met', () => {
    const p = edit(acmeProd(), (d) => {
      d.identity = d.identity.map((g) => (g.principal.name === 'acme-prod-gateway' ? { ...g, trust: { principals: ['*'], conditions: [] } } : g));
    });
    expect(row(p, 'identity').findings).toEqual(['identity/aws/iam-role/acme-prod-gateway/iam: role acme-prod-gateway trusts any principal (*) without a condition']);
  });

  test('RBAC only (customer-run cluster) is customer-owned, and names the IdP groups the customer manages', () => {
    const r = row(initechOnprem(), 'identity');
    expect(r.status).toBe('customer-owned');
    expect(r.findings[0]).toContain('customer\'s identity provider');
    expect(r.customerOwns[0]).toBe('Membership of the IdP groups bound here: sso:eng, sso:eng-leads, sso:fin-analysts.');
  });

  test('no principal at all is not met', () => {
    expect(row(edit(acmeProd(), (d) => { d.identity = []; }), 'identity').status).toBe('not met');
  });
});

describe('API keys & access policy', () => {
  test('met with every team × model limited and mapped from a group', () => {
    const r = row(acmeProd(), 'api-keys');
    expect(r.status).toBe('met');
    expect(r.provides[0]).toBe('The gateway admits 1 team to the models on their allow-list only: research → llama-3-1-8b (120 requests/min, 200000 tokens/min).');
    expect(r.customerOwns).toContain('Membership of the IdP groups mapped to teams: acme-research.');
  });

  test('an unlimited or unmapped team is not met; no access at all is not met', () => {
    const unlimited = edit(acmeProd(), (d) => { d.modelAccess = d.modelAccess.map((a) => ({ ...a, groups: [], rateLimits: { requestsPerMinute: 10 } })); });
    expect(row(unlimited, 'api-keys').findings).toEqual([
      'model-access/research/llama-3-1-8b: no IdP group maps to team research',
      'model-access/research/llama-3-1-8b: no tokens-per-minute limit (unlimited)',
    ]);
    expect(row(edit(acmeProd(), (d) => { d.modelAccess = []; }), 'api-keys').status).toBe('not met');
  });
});

describe('secrets handling', () => {
  test('met: CMK-encrypted, rotation stated as the customer\'s, a non-credential with its reason', () => {
    const r = row(acmeProd(), 'secrets');
    expect(r.status).toBe('met');
    expect(r.provides.join(' ')).toContain('not rotated: pab/acme-prod/gateway/redis-endpoint (not a credential)');
    expect(r.customerOwns).toContain('ml-platform@acme.example sets and rotates pab/acme-prod/items/hf-token.');
    expect(r.customerOwns.some((c) => c.startsWith('Rotating every 30 days: '))).toBe(true);
  });

  test.each([
    ['AWS-managed key', (s: any) => ({ ...s, atRest: 'aws-managed' }), 'encrypted at rest with an AWS-managed key'],
    ['unknown encryption', (s: any) => ({ ...s, atRest: undefined }), 'encryption at rest is not in the artifacts read'],
    ['no rotation, no reason', (s: any) => ({ ...s, rotation: { by: 'none' } }), 'no rotation'],
    ['unknown rotation', (s: any) => ({ ...s, rotation: undefined }), 'rotation is not in the artifacts read'],
  ])('not met: %s', (_name, change, message) => {
    const p = edit(acmeProd(), (d) => { d.secrets = d.secrets.map((s) => (s.name.endsWith('master-key') ? change(s) : s)); });
    const r = row(p, 'secrets');
    expect(r.status).toBe('not met');
    expect(r.findings).toEqual([expect.stringContaining(message)]);
  });

  test('Kubernetes Secrets not encrypted with a CMK is not met', () => {
    const p = edit(acmeProd(), (d) => { d.encryption = d.encryption.map((e) => (e.kind === 'eks-secrets' ? { ...e, atRest: 'aws-managed' } : e)); });
    expect(row(p, 'secrets').findings).toEqual(['encryption/eks-secrets/acme-prod: Kubernetes Secrets encrypted at rest with aws-managed, not a CMK']);
  });

  test('every secret in the customer\'s Vault is customer-owned', () => {
    const r = row(initechOnprem(), 'secrets');
    expect(r.status).toBe('customer-owned');
    expect(r.customerOwns.join(' ')).toContain('Encryption at rest of the cluster\'s own Secrets (etcd)');
    expect(r.customerOwns).toContain('security@initech.example sets and rotates pab/initech-onprem/items/tps-signing-cert.');
  });
});

describe('logs, traces & retention', () => {
  test('400-day COMPLIANCE is met without exception', () => {
    const r = row(acmeProd(), 'retention');
    expect(r.status).toBe('met');
    expect(r.exceptions).toEqual([]);
    expect(r.provides[0]).toContain('Object Lock COMPLIANCE for 400 days');
  });

  test('90-day GOVERNANCE with a recorded reason is met and shows the reason, for the bucket and its log groups', () => {
    const r = row(globexStaging(), 'retention');
    expect(r.status).toBe('met');
    expect(r.exceptions[0]).toEqual(expect.objectContaining({ what: 'audit records kept 90 days, below the 365-day baseline', reason: GLOBEX_REASON }));
    expect(r.exceptions.filter((e) => e.key.startsWith('retention/log-group/')).length).toBe(4);
    expect(r.customerOwns.join(' ')).toContain('s3:BypassGovernanceRetention');
  });

  test('90 days without a reason is not met, log groups included', () => {
    const r = row(globexStaging(false), 'retention');
    expect(r.status).toBe('not met');
    expect(r.findings).toContain('retention/bucket/globex-staging-audit-111122223333-us-east-2: keeps records 90 days (< 365) with no recorded reason');
    expect(r.findings.filter((f) => f.includes('no audit reason covers it')).length).toBe(4);
  });

  test('Object Lock none needs a reason; with it, met and shown', () => {
    const noLock = (reason?: string) => edit(acmeProd(), (d) => {
      d.retention = d.retention.map((x) => (x.name.includes('-audit-') && x.kind === 'bucket' ? { ...x, lock: 'none', lockDays: undefined, ...(reason ? { reason } : {}) } : x));
    });
    expect(row(noLock(), 'retention').findings).toEqual(['retention/bucket/acme-prod-audit-111122223333-eu-central-1: no Object Lock and no recorded reason']);
    const withReason = row(noLock('replicated to the SIEM, which holds the legal copy'), 'retention');
    expect(withReason.status).toBe('met');
    expect(withReason.exceptions[0]).toEqual(expect.objectContaining({ reason: 'replicated to the SIEM, which holds the legal copy' }));
  });

  test('the audit bucket without Object Lock is still found through the trail that writes to it', () => {
    const p = edit(acmeProd(), (d) => {
      d.retention = d.retention.map((x) => (x.kind === 'bucket' && x.name.includes('-audit-') ? { ...x, lock: 'none', lockDays: undefined } : x));
    });
    expect(row(p, 'retention').status).toBe('not met');
  });

  test('a template without an audit bucket is not met; no template and no bucket is customer-owned', () => {
    const none = edit(acmeProd(), (d) => { d.retention = d.retention.filter((x) => x.kind !== 'bucket' && x.kind !== 'trail'); });
    expect(row(none, 'retention').findings).toEqual(['the template creates no audit bucket']);
    expect(row(initechOnprem(), 'retention').status).toBe('customer-owned');
  });

  test('a public or unencrypted audit bucket is not met', () => {
    const p = edit(acmeProd(), (d) => { d.encryption = d.encryption.map((e) => (e.kind === 's3' ? { ...e, atRest: 'none', publicAccessBlocked: false } : e)); });
    expect(row(p, 'retention').findings.length).toBe(2);
  });
});

describe('redaction & output handling', () => {
  test('mask/block is met; an allowed entity is listed as an exception', () => {
    expect(row(acmeProd(), 'redaction').status).toBe('met');
    const g = row(globexStaging(), 'redaction');
    expect(g.status).toBe('met');
    expect(g.exceptions).toEqual([expect.objectContaining({ key: 'redaction/PERSON', what: expect.stringContaining('PERSON passes to the models unredacted') })]);
  });

  test('no entity, or only allow, is not met', () => {
    expect(row(edit(acmeProd(), (d) => { d.redaction = []; }), 'redaction').findings).toEqual(['no PII entity is redacted: prompts reach the models unfiltered']);
    expect(row(edit(acmeProd(), (d) => { d.redaction = d.redaction.map((e) => ({ ...e, action: 'allow' })); }), 'redaction').status).toBe('not met');
  });

  test('pre-call only: output handling is the customer\'s', () => {
    expect(row(acmeProd(), 'redaction').customerOwns[0]).toContain('Handling PII in model output');
    const both = edit(acmeProd(), (d) => { d.redaction = d.redaction.map((e) => ({ ...e, enforcedBy: 'gateway (presidio guardrail, pre_call + post_call)' })); });
    expect(row(both, 'redaction').customerOwns.join(' ')).not.toContain('Handling PII in model output');
  });
});
