import { synthCloudFormation } from '../../stacks/synth';
import { API_KEY_HEADERS, MANAGED_RULE_GROUPS } from '../../lib/aws/gateway-web-acl';
import { INTERRUPTION_EVENTS } from '../../lib/aws/karpenter-controller';
import { LBC_CLUSTER_TAG } from '../../lib/aws/load-balancer-controller';
import type { BoundaryPlan } from '../../lib/plan';
import { examplePlans, exampleVariant, objectsOf, ofKind } from '../helpers/examples';

/**
 * The parts of the AWS layer that exist for the cluster's controllers and for public ingress, on the composed
 * templates (real synth under cdk-nag AwsSolutions + NIST 800-53 R5 and the built-in validator), and their agreement
 * with what the Kubernetes target renders for the same plan.
 */
const CERT = 'arn:aws:acm:eu-central-1:111122223333:certificate/12345678-aaaa-bbbb-cccc-111122223333';
const publicAcme = exampleVariant('acme-prod', (m) => {
  Object.assign(m.spec.network, { ingress: 'public', waf: true, tlsCertificateArn: CERT, publicIngressReason: 'ACME-77 partner integrations call the gateway' });
});
const ownAcl = 'arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/fms-managed/0f1e2d3c-aaaa-bbbb-cccc-111122223333';
const publicAcmeOwnAcl = exampleVariant('acme-prod', (m) => {
  Object.assign(m.spec.network, { ingress: 'public', waf: true, wafAclArn: ownAcl, tlsCertificateArn: CERT, publicIngressReason: 'ACME-77 partner integrations call the gateway' });
});

const cache = new Map<BoundaryPlan, { json: any; findings: string[] }>();
function synth(plan: BoundaryPlan): { json: any; findings: string[] } {
  let a = cache.get(plan);
  if (!a) {
    const cfn = synthCloudFormation(plan);
    a = { json: JSON.parse(cfn.template), findings: cfn.findings.map((f) => `${f.plugin} ${f.rule} @ ${f.path}`) };
    cache.set(plan, a);
  }
  return a;
}
const resourcesOf = (json: any, type: string): any[] => Object.values(json.Resources).filter((r: any) => r.Type === type);
const statementsOf = (json: any, sidPrefix: string): any[] => resourcesOf(json, 'AWS::IAM::ManagedPolicy')
  .flatMap((p) => p.Properties.PolicyDocument.Statement).filter((s: any) => typeof s.Sid === 'string' && s.Sid.startsWith(sidPrefix));
const managedPolicyOf = (json: any, description: RegExp): any => resourcesOf(json, 'AWS::IAM::ManagedPolicy').find((p) => description.test(p.Properties.Description));

describe('public ingress on AWS (acme-prod variant)', () => {
  test('synthesizes with zero unacknowledged findings, with the ACL created or named', () => {
    expect(synth(publicAcme).findings).toEqual([]);
    expect(synth(publicAcmeOwnAcl).findings).toEqual([]);
  });

  test('the web ACL: regional, AWS managed rule groups, a per-IP rate rule, allow only what no rule blocks', () => {
    const [acl] = resourcesOf(synth(publicAcme).json, 'AWS::WAFv2::WebACL');
    expect(acl.Properties).toEqual(expect.objectContaining({ Name: 'acme-prod-gateway', Scope: 'REGIONAL', DefaultAction: { Allow: {} } }));
    const rules = acl.Properties.Rules;
    expect(rules.filter((r: any) => r.Statement.ManagedRuleGroupStatement).map((r: any) => r.Statement.ManagedRuleGroupStatement.Name))
      .toEqual(MANAGED_RULE_GROUPS.map((g) => g.name));
    // Managed groups keep their own actions; only the body-size rule counts (prompts exceed 8 KB).
    expect(rules.filter((r: any) => r.OverrideAction).map((r: any) => r.OverrideAction)).toEqual(MANAGED_RULE_GROUPS.map(() => ({ None: {} })));
    expect(rules.flatMap((r: any) => r.Statement.ManagedRuleGroupStatement?.RuleActionOverrides ?? []))
      .toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    const rate = rules.find((r: any) => r.Statement.RateBasedStatement);
    expect(rate.Action).toEqual({ Block: {} });
    expect(rate.Statement.RateBasedStatement).toEqual(expect.objectContaining({ AggregateKeyType: 'IP', Limit: 2000 }));
    expect(rules.every((r: any) => r.VisibilityConfig.CloudWatchMetricsEnabled && r.VisibilityConfig.SampledRequestsEnabled)).toBe(true);
  });

  test('WAF logs go to an encrypted aws-waf-logs-* group kept as long as the audit policy, API-key headers redacted', () => {
    const { json } = synth(publicAcme);
    const [logging] = resourcesOf(json, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging.Properties.RedactedFields).toEqual(API_KEY_HEADERS.map((h) => ({ SingleHeader: { Name: h } })));
    const group = resourcesOf(json, 'AWS::Logs::LogGroup').find((g) => g.Properties.LogGroupName === 'aws-waf-logs-acme-prod-gateway');
    expect(group.Properties.KmsKeyId).toBeDefined();
    expect(group.Properties.RetentionInDays).toBeGreaterThanOrEqual(publicAcme.spec.audit.retentionDays);
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).toContain('log-group:');
    expect(JSON.stringify(logging.Properties.LogDestinationConfigs)).not.toContain(':*');
  });

  test('with the spec\'s own ACL nothing is created, and the controller may associate exactly that ACL', () => {
    const { json } = synth(publicAcmeOwnAcl);
    expect(resourcesOf(json, 'AWS::WAFv2::WebACL')).toEqual([]);
    const [assoc] = statementsOf(json, 'WebAcl').filter((s) => s.Sid === 'WebAcl');
    expect(JSON.stringify(assoc.Resource)).toContain(ownAcl);
    expect(JSON.stringify(assoc.Resource)).not.toContain('webacl/*');
  });

  test('the Ingress names the very ACL the template creates, and logs to the bucket the template lets ELB write', () => {
    const { json } = synth(publicAcme);
    const ingress: any = ofKind(objectsOf(publicAcme), 'Ingress')[0];
    const [acl] = resourcesOf(json, 'AWS::WAFv2::WebACL');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/wafv2-acl-name']).toBe(acl.Properties.Name);
    const attrs = Object.fromEntries(ingress.metadata.annotations['alb.ingress.kubernetes.io/load-balancer-attributes'].split(',').map((kv: string) => kv.split('=')));
    const bucket = resourcesOf(json, 'AWS::S3::Bucket').find((b) => b.Properties.BucketName === attrs['access_logs.s3.bucket']);
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    const policy = resourcesOf(json, 'AWS::S3::BucketPolicy').flatMap((p) => p.Properties.PolicyDocument.Statement).find((s: any) => s.Sid === 'LoadBalancerAccessLogs');
    // eu-central-1's Elastic Load Balancing account, writing only under the Ingress's prefix for this account.
    expect(JSON.stringify(policy.Principal)).toContain('054676820928');
    expect(policy.Action).toBe('s3:PutObject');
    expect(JSON.stringify(policy.Resource)).toContain(`/${attrs['access_logs.s3.prefix']}/AWSLogs/111122223333/*`);
  });
});

const controllerCases: [string, BoundaryPlan][] = [...examplePlans().filter(([, p]) => p.spec.aws !== undefined), ['acme-prod (public)', publicAcme]];

describe.each(controllerCases)('controllers of %s', (_name, plan) => {
  const json = (): any => synth(plan).json;
  const associations = (): any[] => resourcesOf(json(), 'AWS::EKS::PodIdentityAssociation');

  test('every controller with a role gets a Pod Identity association for exactly its namespace and service account', () => {
    for (const c of plan.controllers.filter((x) => x.role)) {
      const matching = associations().filter((a) => a.Properties.Namespace === c.namespace && a.Properties.ServiceAccount === c.serviceAccount);
      expect(matching).toHaveLength(1);
      const role = Object.entries(json().Resources).find(([id]: [string, any]) => JSON.stringify(matching[0].Properties.RoleArn).includes(`"${id}"`))![1] as any;
      expect(role.Properties.RoleName).toBe(c.role);
      const conditions = role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals;
      expect(conditions['aws:RequestTag/kubernetes-namespace']).toBe(c.namespace);
      expect(conditions['aws:RequestTag/kubernetes-service-account']).toBe(c.serviceAccount);
    }
    // No identity for a controller the plan does not need.
    expect(associations().filter((a) => ['kube-system'].includes(a.Properties.Namespace)).map((a) => a.Properties.ServiceAccount).sort())
      .toEqual(plan.controllers.filter((c) => c.role && c.namespace === 'kube-system').map((c) => c.serviceAccount).sort());
  });

  test('the load balancer controller changes only what carries this cluster\'s tag (or listeners of this account), in this VPC', () => {
    const policy = managedPolicyOf(json(), /^AWS Load Balancer Controller/);
    expect(policy !== undefined).toBe(plan.controllers.some((c) => c.name === 'aws-load-balancer-controller'));
    const statements: any[] = policy?.Properties.PolicyDocument.Statement ?? [];
    const mutating = statements.filter((s) => [s.Action].flat().some((a: string) => !/:(Describe|Get|List)/.test(a)));
    for (const s of mutating) {
      const text = JSON.stringify(s);
      const resources = JSON.stringify(s.Resource);
      const scoped = text.includes(`"aws:ResourceTag/${LBC_CLUSTER_TAG}":"${plan.name}"`) || text.includes(`"aws:RequestTag/${LBC_CLUSTER_TAG}":"${plan.name}"`)
        || text.includes(`"aws:ResourceTag/kubernetes.io/cluster/${plan.name}":"owned"`) || text.includes('elasticloadbalancing:CreateAction')
        // Listener-level actions name listener/rule ARNs only (never a load balancer); a security group is created only in the VPC.
        || (s.Sid === 'Listeners' && !resources.includes(':loadbalancer/')) || s.Sid === 'SecurityGroupsInVpc' || s.Sid === 'WebAcl' || s.Sid === 'ServiceLinkedRole';
      expect([s.Sid, scoped]).toEqual([s.Sid, true]);
      // Tagging a load balancer (which would let the role claim one it does not own) or changing a security group's
      // rules never goes without a tag condition.
      const actions = [s.Action].flat();
      const conditional = text.includes('ResourceTag') || text.includes('RequestTag') || text.includes('CreateAction');
      expect([s.Sid, actions.some((a: string) => a === 'elasticloadbalancing:AddTags' || a.startsWith('ec2:AuthorizeSecurityGroup') || a.startsWith('ec2:RevokeSecurityGroup')) && !conditional])
        .toEqual([s.Sid, false]);
      // Only Describe-style reads and the service-linked role may name every resource.
      expect([s.Sid, [s.Resource].flat().includes('*') && s.Sid !== 'ServiceLinkedRole']).toEqual([s.Sid, false]);
    }
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => /^(shield|cognito-idp|waf-regional|iam:(?!CreateServiceLinkedRole))/.test(a))).toEqual([]);
  });

  test('Karpenter: its interruption queue is fed by the four EC2/Health event rules, encrypted and TLS-only; its role passes only the node role', () => {
    const hasKarpenter = plan.controllers.some((c) => c.name === 'karpenter');
    const queues = resourcesOf(json(), 'AWS::SQS::Queue');
    expect(queues.map((q) => q.Properties.QueueName)).toEqual(hasKarpenter ? [plan.names.karpenterQueue()] : []);
    expect(queues.every((q) => q.Properties.SqsManagedSseEnabled === true)).toBe(true);
    const queuePolicies = resourcesOf(json(), 'AWS::SQS::QueuePolicy').flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(queuePolicies.some((s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(hasKarpenter);
    const rules = resourcesOf(json(), 'AWS::Events::Rule');
    expect(rules.map((r) => r.Properties.EventPattern['detail-type'][0]).sort()).toEqual(hasKarpenter ? INTERRUPTION_EVENTS.map((e) => e.detailType).sort() : []);
    const policy = managedPolicyOf(json(), /^Karpenter of/);
    expect(policy !== undefined).toBe(hasKarpenter);
    const actions: string[] = (policy?.Properties.PolicyDocument.Statement ?? []).flatMap((s: any) => [s.Action].flat());
    // No instance-profile management (IAM has no VPC endpoint; the EC2NodeClass names the profile) and no pricing API.
    expect(actions.filter((a) => /^iam:(?!PassRole$)|^pricing:/.test(a))).toEqual([]);
    const pass = (policy?.Properties.PolicyDocument.Statement ?? []).filter((s: any) => [s.Action].flat().includes('iam:PassRole'));
    expect(pass.map((s: any) => s.Condition)).toEqual(hasKarpenter ? [{ StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }] : []);
    expect(JSON.stringify(pass.map((s: any) => s.Resource))).not.toContain('*');
  });

  test('the Kubernetes target admits exactly the controllers the AWS layer gives an identity', () => {
    const policies = ofKind(objectsOf(plan), 'NetworkPolicy') as any[];
    for (const c of plan.controllers) {
      expect(policies.some((p) => p.metadata.namespace === c.namespace && p.metadata.name === `deny-${c.name}`
        && p.spec.podSelector.matchLabels['app.kubernetes.io/name'] === c.selector['app.kubernetes.io/name'])).toBe(true);
    }
    const withRole = plan.controllers.filter((c) => c.role).map((c) => `${c.namespace}/${c.serviceAccount}`).sort();
    const kubeSystemAssociations = associations().filter((a) => a.Properties.Namespace === 'kube-system').map((a) => `${a.Properties.Namespace}/${a.Properties.ServiceAccount}`).sort();
    expect(kubeSystemAssociations).toEqual(withRole);
  });
});
