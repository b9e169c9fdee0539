import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { WebIdentityRole } from '../../lib/aws/web-identity-role';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { GATEWAY_WORKLOAD } from '../../lib/k8s/llm-gateway';
import { describeFindings, synthWithChecks, type CheckedApp } from '../helpers/aws-checks';
import { examplePlans } from '../helpers/examples';

const plan = examplePlans().find(([n]) => n === 'acme-prod')![1];
const aws = plan.spec.aws!;
const env = { account: aws.account, region: aws.region };
const CLUSTER = plan.name;
const clusterArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks:${aws.region}:${aws.account}:cluster/${CLUSTER}`]] };
const ISSUER_URL = `https://oidc.eks.${aws.region}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`;

/** Asserts that a resource of `type` with `props` exists (a name the expect-expect lint rule recognizes). */
function expectProps(t: Template, type: string, props: any): void {
  t.hasResourceProperties(type, props);
}

/** Trust policy statements of every role in a template, JSON-string documents parsed with tokens shown as `<token>`. */
function trustStatements(t: Template): Record<string, any[]> {
  const out: Record<string, any[]> = {};
  for (const [id, r] of Object.entries(t.findResources('AWS::IAM::Role'))) {
    const doc = (r as any).Properties.AssumeRolePolicyDocument;
    out[id] = (doc['Fn::Join'] ? parseJoined(doc) : doc).Statement;
  }
  return out;
}

/** Parses a `Fn::Join` JSON string, each non-literal part replaced by `<token>`. */
function parseJoined(join: any): any {
  const [sep, parts] = join['Fn::Join'];
  expect(sep).toBe('');
  return JSON.parse((parts as any[]).map((p) => (typeof p === 'string' ? p : '<token>')).join(''));
}

function roleNamed(t: Template, name: string): [string, any] {
  const found = Object.entries(t.findResources('AWS::IAM::Role', { Properties: Match.objectLike({ RoleName: name }) }));
  expect(found).toHaveLength(1);
  return found[0] as [string, any];
}

describe('identities of acme-prod under the checks', () => {
  let checked: CheckedApp;
  let t: Template;
  let oidcIssuer: string;
  let stack: Stack;
  beforeAll(() => {
    checked = synthWithChecks((app) => {
      stack = new Stack(app, 'Identities', { env });
      new WorkloadIdentity(stack, 'Gateway', {
        roleName: plan.names.workloadRole('gateway'), clusterName: CLUSTER,
        namespace: plan.names.zoneNamespace('gateway'), serviceAccount: GATEWAY_WORKLOAD,
      });
      for (const m of plan.models) {
        new WorkloadIdentity(stack, `Model-${m.name}`, {
          roleName: plan.names.workloadRole(`model-${m.name}`), clusterName: CLUSTER, namespace: m.namespace, serviceAccount: m.workload,
        });
      }
      // Stub of the cluster's IAM OIDC provider (native, no custom resource): its issuer is a token, as in a real boundary.
      const provider = new iam.OidcProviderNative(stack, 'ClusterOidc', { url: ISSUER_URL, clientIds: ['sts.amazonaws.com'] });
      oidcIssuer = provider.openIdConnectProviderIssuer;
      new WebIdentityRole(stack, 'SecretsReader', {
        roleName: plan.names.workloadRole('external-secrets'), oidcProviderArn: provider.openIdConnectProviderArn,
        issuer: oidcIssuer, subjects: plan.secrets.readerSubjects, audience: plan.secrets.readerTokenAudience,
      });
      return [stack];
    });
    t = checked.templates.Identities;
  });

  test('no unacknowledged finding and nothing acknowledged (cdk-nag AwsSolutions + NIST 800-53 R5 + CloudFormation validator)', () => {
    expect(describeFindings(checked.findings)).toEqual([]);
    expect(checked.acknowledged).toEqual([]);
  });

  test('gateway: Pod Identity trust scoped to this account, cluster, namespace and service account', () => {
    const [id] = roleNamed(t, 'acme-prod-gateway');
    expect(trustStatements(t)[id]).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: {
        'aws:SourceAccount': aws.account,
        'aws:RequestTag/eks-cluster-arn': clusterArn,
        'aws:RequestTag/kubernetes-namespace': 'acme-prod-gateway',
        'aws:RequestTag/kubernetes-service-account': 'gateway',
      } },
    }]);
  });

  test('one Pod Identity association per workload: namespace, service account and role as the Kubernetes target names them', () => {
    const expected = [
      { ns: plan.names.zoneNamespace('gateway'), sa: GATEWAY_WORKLOAD, role: plan.names.workloadRole('gateway') },
      ...plan.models.map((m) => ({ ns: m.namespace, sa: m.workload, role: plan.names.workloadRole(`model-${m.name}`) })),
    ];
    expect(plan.models.length).toBeGreaterThan(0);
    const assocs = Object.values(t.findResources('AWS::EKS::PodIdentityAssociation')).map((r: any) => r.Properties);
    expect(assocs).toHaveLength(expected.length);
    for (const e of expected) {
      const [roleId] = roleNamed(t, e.role);
      expect(assocs).toContainEqual({
        ClusterName: CLUSTER, Namespace: e.ns, ServiceAccount: e.sa, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] }, DisableSessionTags: false,
      });
      expect(trustStatements(t)[roleId][0].Condition.StringEquals).toEqual(expect.objectContaining({
        'aws:RequestTag/kubernetes-namespace': e.ns, 'aws:RequestTag/kubernetes-service-account': e.sa,
      }));
    }
  });

  test('model runtimes: role names acme-prod-model-<name>, the ARNs the plan gives the Kubernetes target', () => {
    for (const m of plan.models) {
      roleNamed(t, `acme-prod-model-${m.name}`);
      expect(plan.names.workloadRoleArn(`model-${m.name}`)).toBe(`arn:aws:iam::${aws.account}:role/acme-prod-model-${m.name}`);
    }
  });

  test('secrets reader (IRSA): StringEquals on exactly the reader subjects and the audience, keys built from the token issuer', () => {
    const [id, role] = roleNamed(t, 'acme-prod-external-secrets');
    expect(plan.secrets.readerRoleArn).toBe(`arn:aws:iam::${aws.account}:role/acme-prod-external-secrets`);
    const doc = role.Properties.AssumeRolePolicyDocument;
    // The document is a string joined at deploy time: the provider ARN is the principal and the issuer token sits
    // where each condition key starts.
    const issuer = stack.resolve(oidcIssuer);
    const parts = doc['Fn::Join'][1] as any[];
    expect(parts.filter((p) => typeof p !== 'string')).toEqual([{ Ref: 'ClusterOidc5C3B873B' }, issuer, issuer]);
    expect(issuer).toEqual({ 'Fn::Select': [1, { 'Fn::Split': [':oidc-provider/', { Ref: 'ClusterOidc5C3B873B' }] }] });
    expect(trustStatements(t)[id]).toEqual([{
      Effect: 'Allow',
      Principal: { Federated: '<token>' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { '<token>:aud': 'sts.amazonaws.com', '<token>:sub': [...plan.secrets.readerSubjects] } },
    }]);
    expect(plan.secrets.readerSubjects.length).toBeGreaterThan(1);
    expect(JSON.stringify(parts)).not.toContain('StringLike');
    expect(role.Properties.MaxSessionDuration).toBe(3600);
  });

  test('no custom resource, no Lambda, no policy: permissions come from the resources\' grants', () => {
    const types = Object.values(t.toJSON().Resources).map((r: any) => r.Type);
    expect(types.filter((ty) => ty.startsWith('Custom::') || ty === 'AWS::CloudFormation::CustomResource' || ty === 'AWS::Lambda::Function')).toEqual([]);
    expect(t.findResources('AWS::IAM::Policy')).toEqual({});
    for (const r of Object.values(t.findResources('AWS::IAM::Role')) as any[]) {
      expect(r.Properties.Policies).toBeUndefined();
      expect(r.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('no wildcard anywhere in a trust policy', () => {
    for (const statements of Object.values(trustStatements(t))) {
      for (const s of statements) {
        expect(s.Effect).toBe('Allow');
        expect(JSON.stringify(s)).not.toMatch(/\*/);
      }
    }
  });
});

describe('WebIdentityRole with a literal issuer', () => {
  test('renders an object document with the same exact conditions', () => {
    const stack = new Stack(new App(), 'S', { env });
    const issuer = ISSUER_URL.slice('https://'.length);
    new WebIdentityRole(stack, 'R', {
      roleName: 'r', oidcProviderArn: `arn:aws:iam::${aws.account}:oidc-provider/${issuer}`, issuer, subjects: ['system:serviceaccount:a:b'],
    });
    expectProps(Template.fromStack(stack), 'AWS::IAM::Role', { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{
      Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${aws.account}:oidc-provider/${issuer}` }, Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: ['system:serviceaccount:a:b'] } },
    }] } });
  });

  test('audience is what the tokens must carry', () => {
    const stack = new Stack(new App(), 'S', { env });
    new WebIdentityRole(stack, 'R', { roleName: 'r', oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/i', issuer: 'i', subjects: ['system:serviceaccount:a:b'], audience: 'custom' });
    expectProps(Template.fromStack(stack), 'AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({
      Condition: { StringEquals: { 'i:aud': 'custom', 'i:sub': ['system:serviceaccount:a:b'] } } })] }) });
  });

  test.each([
    ['a wildcard subject', { subjects: ['system:serviceaccount:ns:*'] }, /no wildcards/],
    ['a namespace-wide subject', { subjects: ['system:serviceaccount:ns'] }, /exactly system:serviceaccount/],
    ['no subject', { subjects: [] }, /at least one/],
    ['duplicate subjects', { subjects: ['system:serviceaccount:a:b', 'system:serviceaccount:a:b'] }, /distinct/],
    ['an issuer URL with scheme', { issuer: 'https://oidc.example/id/x' }, /without scheme/],
    ['a wildcard audience', { audience: '*' }, /literal audience/],
  ])('refuses %s', (_what, override, message) => {
    const stack = new Stack(new App(), 'S', { env });
    expect(() => new WebIdentityRole(stack, 'R', {
      roleName: 'r', oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/i', issuer: 'oidc.example/id/x', subjects: ['system:serviceaccount:a:b'], ...override,
    })).toThrow(message);
  });
});

describe('WorkloadIdentity props', () => {
  test('the trust policy follows the cluster name, also when it is a token', () => {
    const stack = new Stack(new App(), 'S', { env });
    const name = new CfnParameter(stack, 'ClusterName').valueAsString;
    const id = new WorkloadIdentity(stack, 'W', { roleName: 'w', clusterName: name, namespace: 'ns', serviceAccount: 'sa' });
    expect(stack.resolve(id.clusterArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks:${aws.region}:${aws.account}:cluster/`, { Ref: 'ClusterName' }]] });
    const t = Template.fromStack(stack);
    expectProps(t, 'AWS::EKS::PodIdentityAssociation', { ClusterName: { Ref: 'ClusterName' } });
    expectProps(t, 'AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({
      Condition: { StringEquals: Match.objectLike({ 'aws:RequestTag/eks-cluster-arn': stack.resolve(id.clusterArn) }) } })] }) });
  });

  test.each([['namespace', { namespace: 'Bad_NS' }], ['serviceAccount', { serviceAccount: 'sa*' }]])('refuses a %s that is not a Kubernetes name', (_f, override) => {
    const stack = new Stack(new App(), 'S', { env });
    expect(() => new WorkloadIdentity(stack, 'W', { roleName: 'w', clusterName: 'c', namespace: 'ns', serviceAccount: 'sa', ...override })).toThrow(/not a Kubernetes name/);
  });
});
