import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { formatPath } from '../../lib/spec';
import { grantBindingNameOf, grantGroupOf, parsePrincipalArn } from '../../lib/spec/principal';
import { baseManifest, check, toYaml } from './spec-fixtures';

/** Grants map to Kubernetes identities derived from the full ARN, so no two principals share privileges. */

const REVIEWER_ARNS = ['arn:aws:iam::111122223333:role/vendor-support', 'arn:aws:iam::999988887777:role/ext/vendor-support'];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const sha8 = (arn: string): string => createHash('sha256').update(arn).digest('hex').slice(0, 8);

describe('grant identities', () => {
  test('the reviewer\'s two ARNs (same role name, other account and path) get distinct groups and binding names', () => {
    expect(REVIEWER_ARNS.map(grantGroupOf)).toEqual(['pab:grant:111122223333:role:vendor-support', 'pab:grant:999988887777:role:ext/vendor-support']);
    expect(REVIEWER_ARNS.map(grantBindingNameOf)).toEqual(REVIEWER_ARNS.map((a) => `grant-vendor-support-${sha8(a)}`));
    expect(new Set(REVIEWER_ARNS.map(grantBindingNameOf)).size).toBe(2);
  });

  test('the spec granting both is valid (no collision to refuse)', () => {
    const m = baseManifest();
    m.spec.access.grants = REVIEWER_ARNS.map((principal) => ({ principal, level: 'view', expires: '2027-06-30', reason: 'SEC-123 vendor onboarding' }));
    const checked = check(toYaml(m));
    expect(checked.problems).toEqual([]);
    expect(checked.spec?.access.grants.map((g) => g.principal)).toEqual(REVIEWER_ARNS);
  });

  test('users and roles of the same name are apart', () => {
    expect(grantGroupOf('arn:aws:iam::111122223333:user/ops')).toBe('pab:grant:111122223333:user:ops');
    expect(grantGroupOf('arn:aws:iam::111122223333:role/ops')).toBe('pab:grant:111122223333:role:ops');
  });

  test('parsePrincipalArn splits partition, account, kind, path and name; refuses what is not a role or user ARN', () => {
    expect(parsePrincipalArn('arn:aws-cn:iam::111122223333:role/a/b/ops')).toEqual({ partition: 'aws-cn', account: '111122223333', kind: 'role', pathAndName: 'a/b/ops', name: 'ops' });
    expect(['arn:aws:iam::111122223333:group/ops', 'arn:aws:sts::111122223333:assumed-role/ops/me', 'vendor-support'].map(parsePrincipalArn))
      .toEqual([undefined, undefined, undefined]);
  });

  const segment = fc.stringMatching(/^[\w+=,.@-]{1,12}$/);
  const arnArb = fc.record({
    partition: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
    account: fc.stringMatching(/^\d{12}$/),
    kind: fc.constantFrom('role', 'user'),
    path: fc.array(segment, { maxLength: 3 }),
    name: segment,
  }).map((a) => `arn:${a.partition}:iam::${a.account}:${a.kind}/${[...a.path, a.name].join('/')}`).filter((arn) => parsePrincipalArn(arn) !== undefined);

  test('any ARN: a DNS-label binding name of at most 63 characters, with the ARN\'s hash; a group with its account, kind and path', () => {
    fc.assert(fc.property(arnArb, (arn) => {
      const p = parsePrincipalArn(arn)!;
      const name = grantBindingNameOf(arn);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(DNS_LABEL);
      expect(name.endsWith(`-${sha8(arn)}`)).toBe(true);
      expect(grantGroupOf(arn)).toBe(`pab:grant:${p.account}:${p.kind}:${p.pathAndName}`);
    }), { numRuns: 300 });
  });

  test('two different principals never share a group or a binding name unless validation refuses the pair', () => {
    fc.assert(fc.property(arnArb, arnArb, (a, b) => {
      fc.pre(a !== b);
      const m = baseManifest();
      m.spec.access.grants = [a, b].map((principal) => ({ principal, level: 'view', expires: '2027-06-30', reason: 'SEC-123 vendor onboarding' }));
      const refused = check(toYaml(m)).problems.some((p) => p.code === 'PAB-ACC-003' && formatPath(p.path) === 'spec.access.grants[1].principal');
      const collide = grantGroupOf(a).toLowerCase() === grantGroupOf(b).toLowerCase() || grantBindingNameOf(a) === grantBindingNameOf(b);
      expect(refused).toBe(collide);
      expect(grantBindingNameOf(a) === grantBindingNameOf(b)).toBe(false);
    }), { numRuns: 100 });
  });

  test('a pair that collides only in case or partition is refused', () => {
    for (const other of ['arn:aws:iam::111122223333:role/Vendor-Support', 'arn:aws-cn:iam::111122223333:role/vendor-support']) {
      const m = baseManifest();
      m.spec.access.grants.push({ ...m.spec.access.grants[0], principal: other });
      const problems = check(toYaml(m)).problems.filter((p) => p.severity === 'error');
      expect(problems.map((p) => `${formatPath(p.path)} [${p.code}]`)).toEqual(['spec.access.grants[1].principal [PAB-ACC-003]']);
    }
  });
});
