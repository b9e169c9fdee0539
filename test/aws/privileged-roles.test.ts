import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BREAK_GLASS_GROUP, BreakGlassRole } from '../../lib/aws/break-glass-role';
import { grantEndIso, grantRoleName, TimeBoundGrant, type TimeBoundGrantProps } from '../../lib/aws/time-bound-grant';
import { BoundaryNames } from '../../lib/plan/names';
import type { ResolvedSpec } from '../../lib/spec/resolve';
import type { AccessLevel } from '../../lib/spec/types';
import { grantEnd } from '../../lib/spec/rules/access';
import { describeFindings, synthWithChecks, type CheckedApp } from '../helpers/aws-checks';
import { examplePlans } from '../helpers/examples';

const plan = examplePlans().find(([n]) => n === 'acme-prod')![1];
const aws = plan.spec.aws!;
const env = { account: aws.account, region: aws.region };
const CLUSTER = plan.name;
const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const accessPolicy = (name: string) => partitionArn(`:eks::aws:cluster-access-policy/${name}`);
const breakGlass = plan.access.privileged.find((b) => b.kind === 'break-glass')!;
const grants = plan.access.privileged.filter((b) => b.kind === 'grant');
const USER = `arn:aws:iam::${aws.account}:user/ext/contractor.jane`;
const USER_EXPIRES = '2027-02-28';

/** Asserts that a resource of `type` with `props` exists (a name the expect-expect lint rule recognizes). */
function expectProps(t: Template, type: string, props: any): void {
  t.hasResourceProperties(type, props);
}

function roleNamed(t: Template, name: string): any {
  const found = Object.values(t.findResources('AWS::IAM::Role', { Properties: Match.objectLike({ RoleName: name }) }));
  expect(found).toHaveLength(1);
  return found[0];
}

function entryOf(t: Template, roleName: string): any {
  const [roleId] = Object.entries(t.findResources('AWS::IAM::Role', { Properties: Match.objectLike({ RoleName: roleName }) }))[0];
  const found = Object.values(t.findResources('AWS::EKS::AccessEntry', { Properties: Match.objectLike({ PrincipalArn: { 'Fn::GetAtt': [roleId, 'Arn'] } }) }));
  expect(found).toHaveLength(1);
  return (found[0] as any).Properties;
}

function grantProps(principalArn: string, overrides: Partial<TimeBoundGrantProps> = {}): TimeBoundGrantProps {
  return {
    principalArn, level: 'view', expires: '2027-06-30', reason: 'SEC-123 vendor onboarding', roleName: grantRoleName(plan.name, principalArn),
    clusterName: CLUSTER, namespaces: ['ns-a', 'ns-b'], ...overrides,
  };
}

describe('privileged roles of acme-prod under the checks', () => {
  let checked: CheckedApp;
  let t: Template;
  beforeAll(() => {
    checked = synthWithChecks((app) => {
      const stack = new Stack(app, 'Privileged', { env });
      new BreakGlassRole(stack, 'BreakGlass', { roleArn: breakGlass.principal, clusterName: CLUSTER });
      for (const g of grants) {
        new TimeBoundGrant(stack, `Grant-${g.name}`, {
          principalArn: g.principal, level: g.clusterRole as AccessLevel, expires: g.expires!, reason: g.reason!,
          roleName: grantRoleName(plan.name, g.principal), clusterName: CLUSTER, namespaces: g.namespaces, kubernetesGroup: g.group,
        });
      }
      new TimeBoundGrant(stack, 'UserGrant', grantProps(USER, { level: 'admin', expires: USER_EXPIRES }));
      return [stack];
    });
    t = checked.templates.Privileged;
  });

  test('no unacknowledged finding and nothing acknowledged (cdk-nag AwsSolutions + NIST 800-53 R5 + CloudFormation validator)', () => {
    expect(describeFindings(checked.findings)).toEqual([]);
    expect(checked.acknowledged).toEqual([]);
  });

  test('break-glass: the role of the spec ARN, assumable from its account only with MFA younger than 1 h, 1 h sessions', () => {
    expect(breakGlass.principal).toBe('arn:aws:iam::111122223333:role/break-glass');
    const role = roleNamed(t, 'break-glass');
    expect(role.Properties.MaxSessionDuration).toBe(3600);
    expect(role.Properties.Path).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Principal: { AWS: partitionArn(':iam::111122223333:root') },
      Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
    }]);
  });

  test('break-glass: access entry in the group the Kubernetes target binds to cluster-admin, plus the cluster-admin access policy', () => {
    expect(breakGlass.group).toBe(BREAK_GLASS_GROUP);
    expect(new BoundaryNames({} as ResolvedSpec).breakGlassGroup()).toBe(BREAK_GLASS_GROUP);
    expect(breakGlass.clusterRole).toBe('cluster-admin');
    expect(entryOf(t, 'break-glass')).toEqual(expect.objectContaining({
      ClusterName: CLUSTER, Type: 'STANDARD', KubernetesGroups: ['pab:break-glass'],
      AccessPolicies: [{ PolicyArn: accessPolicy('AmazonEKSClusterAdminPolicy'), AccessScope: { Type: 'cluster' } }],
    }));
  });

  test('grant: only the principal may assume, until 00:00 UTC after the last day (grantEnd), 1 h sessions, no MFA for a role', () => {
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants) {
      const role = roleNamed(t, grantRoleName(plan.name, g.principal));
      expect(role.Properties.MaxSessionDuration).toBe(3600);
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
        Effect: 'Allow', Principal: { AWS: g.principal }, Action: 'sts:AssumeRole',
        Condition: { DateLessThan: { 'aws:CurrentTime': grantEndIso(g.expires!) } },
      }]);
      expect(new Date(grantEndIso(g.expires!)).getTime()).toBe(grantEnd(g.expires!).getTime());
    }
    expect(grantEndIso('2027-06-30')).toBe('2027-07-01T00:00:00Z');
    expect(grantEndIso('2028-02-28')).toBe('2028-02-29T00:00:00Z');
  });

  test('grant: access entry in the plan\'s group with the level\'s access policy, scoped to the boundary namespaces', () => {
    for (const g of grants) {
      expect(g.namespaces).toEqual(plan.namespaces.map((n) => n.name));
      expect(entryOf(t, grantRoleName(plan.name, g.principal))).toEqual(expect.objectContaining({
        ClusterName: CLUSTER, Type: 'STANDARD', KubernetesGroups: [plan.names.grantGroup(g.principal)],
        AccessPolicies: [{ PolicyArn: accessPolicy('AmazonEKSViewPolicy'), AccessScope: { Type: 'namespace', Namespaces: [...g.namespaces] } }],
      }));
    }
  });

  test('grant to an IAM user: MFA required besides the end date; admin level maps to AmazonEKSAdminPolicy in the namespaces', () => {
    const role = roleNamed(t, grantRoleName(plan.name, USER));
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow', Principal: { AWS: USER }, Action: 'sts:AssumeRole',
      Condition: {
        DateLessThan: { 'aws:CurrentTime': '2027-03-01T00:00:00Z' },
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
      },
    }]);
    expect(entryOf(t, grantRoleName(plan.name, USER))).toEqual(expect.objectContaining({
      KubernetesGroups: [`pab:grant:${aws.account}:user:ext/contractor.jane`],
      AccessPolicies: [{ PolicyArn: accessPolicy('AmazonEKSAdminPolicy'), AccessScope: { Type: 'namespace', Namespaces: ['ns-a', 'ns-b'] } }],
    }));
  });

  test('grants carry principal, expiry and reason as tags on the role and the access entry', () => {
    const g = grants[0];
    const tags = [
      { Key: 'private-ai-boundary.io/expires', Value: g.expires },
      { Key: 'private-ai-boundary.io/principal', Value: g.principal },
      { Key: 'private-ai-boundary.io/reason', Value: g.reason },
    ];
    expect(roleNamed(t, grantRoleName(plan.name, g.principal)).Properties.Tags).toEqual(tags);
    expect(entryOf(t, grantRoleName(plan.name, g.principal)).Tags).toEqual(tags);
  });

  test('never cluster-admin, never cluster scope for a grant; only break-glass holds a cluster-scoped policy', () => {
    const entries = Object.values(t.findResources('AWS::EKS::AccessEntry')).map((r: any) => r.Properties);
    expect(entries).toHaveLength(grants.length + 2);
    const clusterScoped = entries.filter((e) => e.AccessPolicies.some((p: any) => p.AccessScope.Type !== 'namespace'));
    expect(clusterScoped.map((e) => e.KubernetesGroups)).toEqual([['pab:break-glass']]);
    for (const e of entries.filter((x) => x !== clusterScoped[0])) {
      expect(JSON.stringify(e.AccessPolicies)).not.toContain('ClusterAdmin');
      expect(e.KubernetesGroups[0]).toMatch(/^pab:grant:/);
    }
  });

  test('no wildcard principal, no permission policy, no custom resource', () => {
    for (const r of Object.values(t.findResources('AWS::IAM::Role')) as any[]) {
      for (const s of r.Properties.AssumeRolePolicyDocument.Statement) expect(JSON.stringify(s.Principal)).not.toContain('*');
      expect(r.Properties.Policies).toBeUndefined();
      expect(r.Properties.ManagedPolicyArns).toBeUndefined();
    }
    const types = Object.values(t.toJSON().Resources).map((r: any) => r.Type as string);
    expect([...new Set(types)].sort()).toEqual(['AWS::EKS::AccessEntry', 'AWS::IAM::Role']);
  });
});

describe('BreakGlassRole props', () => {
  test('keeps the path of the spec ARN and maps to a custom group when asked', () => {
    const stack = new Stack(new App(), 'S', { env });
    new BreakGlassRole(stack, 'B', { roleArn: `arn:aws:iam::${aws.account}:role/ops/emergency/break-glass`, clusterName: 'c', kubernetesGroup: 'my:admins' });
    const t = Template.fromStack(stack);
    expectProps(t, 'AWS::IAM::Role', { RoleName: 'break-glass', Path: '/ops/emergency/' });
    expectProps(t, 'AWS::EKS::AccessEntry', { KubernetesGroups: ['my:admins'] });
  });

  test.each([
    ['a user ARN', `arn:aws:iam::${aws.account}:user/bob`, /not an IAM role ARN/],
    ['a role of another account', 'arn:aws:iam::444455556666:role/break-glass', /account 444455556666/],
  ])('refuses %s', (_what, roleArn, message) => {
    const stack = new Stack(new App(), 'S', { env });
    expect(() => new BreakGlassRole(stack, 'B', { roleArn, clusterName: 'c' })).toThrow(message);
  });
});

describe('TimeBoundGrant props', () => {
  const synth = (props: TimeBoundGrantProps) => {
    const stack = new Stack(new App(), 'S', { env });
    new TimeBoundGrant(stack, 'G', props);
    return Template.fromStack(stack);
  };
  const role = `arn:aws:iam::${aws.account}:role/vendor-support`;

  test.each([['view', 'AmazonEKSViewPolicy'], ['edit', 'AmazonEKSEditPolicy'], ['admin', 'AmazonEKSAdminPolicy']] as const)(
    'level %s maps to %s, namespace scope', (level, policy) => {
      expectProps(synth(grantProps(role, { level })), 'AWS::EKS::AccessEntry', {
        AccessPolicies: [{ PolicyArn: accessPolicy(policy), AccessScope: { Type: 'namespace', Namespaces: ['ns-a', 'ns-b'] } }],
      });
    });

  test('requireMfa adds the MFA conditions to a role principal, and can be turned off for a user', () => {
    const withMfa = Match.objectLike({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } });
    expectProps(synth(grantProps(role, { requireMfa: true })), 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Condition: withMfa })] }) });
    expectProps(synth(grantProps(USER, { requireMfa: false })), 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Condition: { DateLessThan: { 'aws:CurrentTime': '2027-07-01T00:00:00Z' } } })] }) });
  });

  test('a reason IAM tags cannot hold is made safe, not dropped', () => {
    expectProps(synth(grantProps(role, { reason: 'ticket #42, (urgent)' })), 'AWS::IAM::Role', {
      Tags: Match.arrayWith([{ Key: 'private-ai-boundary.io/reason', Value: 'ticket -42- -urgent-' }]) });
  });

  test.each([
    ['no namespace', { namespaces: [] }, /never cluster-wide/],
    ['a date that is not YYYY-MM-DD', { expires: '30/06/2027' }, /YYYY-MM-DD/],
    ['an impossible date', { expires: '2027-13-45' }, /YYYY-MM-DD/],
    ['a role name over 64 characters', { roleName: 'x'.repeat(65) }, /at most 64/],
    ['a principal that is not an IAM role or user', { principalArn: 'arn:aws:iam::111122223333:group/admins' }, /not an IAM role or user ARN/],
    ['an unknown level', { level: 'cluster-admin' as never }, /not view, edit or admin/],
  ])('refuses %s', (_what, overrides, message) => {
    const stack = new Stack(new App(), 'S', { env });
    expect(() => new TimeBoundGrant(stack, 'G', grantProps(role, overrides))).toThrow(message);
  });
});

describe('grantRoleName', () => {
  test('<boundary>-grant-<name>-<hash of the ARN>: the hash of the RoleBinding name of the Kubernetes target', () => {
    const arn = 'arn:aws:iam::111122223333:role/vendor-support';
    expect(grantRoleName('acme-prod', arn)).toBe(`acme-prod-${plan.names.grantBinding(arn)}`);
    expect(grantRoleName('acme-prod', arn)).toMatch(/^acme-prod-grant-vendor-support-[0-9a-f]{8}$/);
  });

  test('at most 64 characters with the longest boundary and principal names, distinct per ARN', () => {
    const boundary = 'b'.repeat(32);
    const a = `arn:aws:iam::111122223333:role/${'n'.repeat(64)}`;
    const b = `arn:aws:iam::444455556666:role/${'n'.repeat(64)}`;
    for (const arn of [a, b]) {
      expect(grantRoleName(boundary, arn).length).toBeLessThanOrEqual(64);
      expect(grantRoleName(boundary, arn)).toMatch(/^[\w+=,.@-]+$/);
      expect(grantRoleName(boundary, arn).slice(-8)).toBe(plan.names.grantBinding(arn).slice(-8));
    }
    expect(grantRoleName(boundary, a)).not.toBe(grantRoleName(boundary, b));
  });
});
