import { basename } from 'node:path';
import { planNetwork, type InterfaceEndpointPlan, type NetworkPlan } from '../../lib/plan/network-plan';
import { loadSpec } from '../../lib/spec/loader';
import { validateManifest } from '../../lib/spec/validate';
import { TEST_NOW, baseManifest, exampleFiles } from './spec-fixtures';

/**
 * The VPC endpoint contract of the network plan, for the CloudFormation target. The boundary has no NAT and its pods
 * are under default-deny: they reach S3 (request audit, Run:ai streamer weights) on 443 at `awsApiCidrs` only, an
 * ipBlock in their NetworkPolicy. That works only if S3 resolves, for every resolver in the VPC, to an interface
 * endpoint in those subnets; with a gateway endpoint alone S3 resolves to public prefix-list addresses and is blocked.
 */

const INTERFACE = ['ec2', 'ecr.api', 'ecr.dkr', 'sts', 'eks', 'eks-auth', 'logs', 'secretsmanager', 'kms', 'elasticloadbalancing', 'ssm', 'sqs', 'autoscaling', 's3'];

const interfaces = (plan: NetworkPlan): InterfaceEndpointPlan[] => plan.vpcEndpoints.flatMap((e) => (e.type === 'Interface' ? [e] : []));

function planOf(change: (m: Record<string, any>) => void = () => undefined): NetworkPlan {
  const m = baseManifest();
  change(m);
  const { spec, problems } = validateManifest(m, { now: TEST_NOW });
  if (!spec) throw new Error(problems.map((p) => p.message).join('\n'));
  return planNetwork(spec);
}

describe('VPC endpoints of an AWS boundary (acme-prod, eu-central-1)', () => {
  const plan = planOf();

  test('interface endpoints for every AWS API the nodes, Karpenter and the pods use; a gateway endpoint for S3', () => {
    expect(interfaces(plan).map((e) => e.service).sort()).toEqual([...INTERFACE].sort());
    expect(plan.vpcEndpoints.filter((e) => e.type === 'Gateway')).toEqual([
      expect.objectContaining({ type: 'Gateway', service: 's3', serviceName: 'com.amazonaws.eu-central-1.s3', routeTables: 'all' }),
    ]);
    expect(plan.vpcEndpoints.map((e) => e.serviceName)).toEqual(plan.vpcEndpoints.map((e) => `com.amazonaws.eu-central-1.${e.service}`));
    // IAM and Pricing have no VPC endpoint: nothing may depend on them (Karpenter gets an instance profile).
    expect(plan.vpcEndpoints.filter((e) => e.service === 'iam' || e.service === 'pricing')).toEqual([]);
  });

  test('the S3 interface endpoint has private DNS for all resolvers, not only for the inbound resolver endpoint', () => {
    const s3 = interfaces(plan).filter((e) => e.service === 's3');
    expect(s3.map((e) => e.privateDns)).toEqual([{ enabled: true, onlyForInboundResolverEndpoint: false }]);
    // Every other interface endpoint has private DNS on (the inbound-resolver option does not apply to them).
    expect(interfaces(plan).filter((e) => e.service !== 's3').map((e) => e.privateDns)).toEqual(INTERFACE.slice(0, -1).map(() => ({ enabled: true })));
  });

  test('every interface endpoint is placed in the subnets whose CIDRs are awsApiCidrs: the data zone, one per AZ', () => {
    expect(plan.awsApiCidrs).toEqual(plan.zoneCidrs.data);
    for (const e of interfaces(plan)) {
      expect(e.subnets.map((s) => s.cidr)).toEqual(plan.awsApiCidrs);
      expect(e.subnets.map((s) => `${s.zone}/${s.azIndex}`)).toEqual(plan.zoneCidrs.data.map((_, i) => `data/${i}`));
    }
  });

  test('the endpoint security group admits the node subnets (gateway and models zones), nothing wider', () => {
    for (const e of interfaces(plan)) expect(e.clientCidrs).toEqual([...plan.zoneCidrs.gateway, ...plan.zoneCidrs.models]);
  });

  test('every endpoint says who needs it', () => {
    expect(plan.vpcEndpoints.filter((e) => e.purpose.trim().length < 10).map((e) => e.service)).toEqual([]);
  });

  test('audit.sinkCidrs on AWS is ignored with a warning: pods keep to the endpoints\' subnets', () => {
    const m = baseManifest();
    m.spec.audit.sinkCidrs = ['10.99.0.0/24'];
    const { spec, problems } = validateManifest(m, { now: TEST_NOW });
    expect(problems.map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`)).toEqual(['warning PAB-AUD-006 spec.audit.sinkCidrs']);
    const withSink = planNetwork(spec!);
    expect(withSink.awsApiCidrs).toEqual(withSink.zoneCidrs.data);
    expect(interfaces(withSink).find((e) => e.service === 's3')?.subnets.map((s) => s.cidr)).toEqual(withSink.awsApiCidrs);
  });
});

describe('VPC endpoints of every example', () => {
  test.each(exampleFiles().map((f) => [basename(f), f]))('%s: endpoints exactly when the boundary is on AWS, in its region', (_name, file) => {
    const { spec } = loadSpec(file, { now: TEST_NOW });
    const plan = planNetwork(spec);
    expect(interfaces(plan).map((e) => e.service).sort()).toEqual(spec.aws ? [...INTERFACE].sort() : []);
    expect(plan.vpcEndpoints.filter((e) => !e.serviceName.startsWith(`com.amazonaws.${spec.aws?.region}.`))).toEqual([]);
    expect(interfaces(plan).filter((e) => e.subnets.map((s) => s.cidr).join() !== plan.awsApiCidrs.join())).toEqual([]);
  });
});
