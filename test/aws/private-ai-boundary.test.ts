import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { synthCloudFormation, type CloudFormationArtifact } from '../../stacks/synth';
import { examplePlans, objectsOf, ofKind } from '../helpers/examples';

/**
 * The composed AWS layer of every example with an `aws` section: compliance (cdk-nag AwsSolutions + NIST 800-53 R5 +
 * the built-in validator, zero unacknowledged findings), the security properties of issue #3 on the real template,
 * and agreement with the Kubernetes target on every name one side references and the other creates.
 */
const awsExamples = examplePlans().filter(([, p]) => p.spec.aws !== undefined);
const artifacts = new Map<string, { cfn: CloudFormationArtifact; template: Template; json: any }>();
function synth(name: string): { cfn: CloudFormationArtifact; template: Template; json: any } {
  let a = artifacts.get(name);
  if (!a) {
    const cfn = synthCloudFormation(awsExamples.find(([n]) => n === name)![1]);
    const json = JSON.parse(cfn.template);
    a = { cfn, template: Template.fromJSON(json), json };
    artifacts.set(name, a);
  }
  return a;
}
const resourcesOf = (json: any, type: string): [string, any][] => Object.entries(json.Resources).filter(([, r]: [string, any]) => r.Type === type) as [string, any][];

test('every AWS example is covered', () => {
  expect(awsExamples.map(([n]) => n)).toEqual(['acme-prod', 'globex-staging']);
});

describe.each(awsExamples)('%s', (name, plan) => {
  test('zero unacknowledged findings; every acknowledgement carries a reason', () => {
    const { cfn } = synth(name);
    expect(cfn.findings.map((f) => `${f.plugin} ${f.rule} @ ${f.path}`)).toEqual([]);
    expect(cfn.acknowledged.filter((a) => !a.reason || a.reason.trim().length < 20)).toEqual([]);
  });

  test('EKS: private endpoint only, all control-plane logs, secrets encrypted, access entries only, no Lambda or custom resource', () => {
    const { json } = synth(name);
    const [[, cluster]] = resourcesOf(json, 'AWS::EKS::Cluster');
    expect(cluster.Properties.ResourcesVpcConfig).toEqual(expect.objectContaining({ EndpointPublicAccess: false, EndpointPrivateAccess: true }));
    expect(cluster.Properties.Logging.ClusterLogging.EnabledTypes.map((t: any) => t.Type).sort()).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(cluster.Properties.EncryptionConfig[0].Resources).toEqual(['secrets']);
    expect(cluster.Properties.AccessConfig.AuthenticationMode).toBe('API');
    const types = Object.values(json.Resources).map((r: any) => r.Type as string);
    expect(types.filter((t) => t === 'AWS::Lambda::Function' || t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource')).toEqual([]);
  });

  test('network: no NAT, internet gateway only with public ingress, no 0.0.0.0/0 ingress anywhere', () => {
    const { json } = synth(name);
    expect(resourcesOf(json, 'AWS::EC2::NatGateway')).toEqual([]);
    expect(resourcesOf(json, 'AWS::EC2::InternetGateway').length > 0).toBe(plan.spec.network.ingress === 'public');
    const openIngress = [
      ...resourcesOf(json, 'AWS::EC2::SecurityGroupIngress').map(([id, r]) => [id, r.Properties]),
      ...resourcesOf(json, 'AWS::EC2::SecurityGroup').flatMap(([id, r]) => (r.Properties.SecurityGroupIngress ?? []).map((i: any) => [id, i])),
    ].filter(([, i]) => i.CidrIp === '0.0.0.0/0' || i.CidrIpv6 === '::/0');
    expect(openIngress).toEqual([]);
    const routes = resourcesOf(json, 'AWS::EC2::Route').filter(([, r]) => r.Properties.DestinationCidrBlock === '0.0.0.0/0');
    expect(routes.length).toBe(plan.spec.network.ingress === 'public' ? plan.network.azCount : 0);
  });

  test('the data zone\'s security group guards the gateway state, and admits only the gateway group on the state ports', () => {
    const { json } = synth(name);
    const [[dataSg]] = resourcesOf(json, 'AWS::EC2::SecurityGroup').filter(([, r]) => r.Properties.Tags?.some((t: any) => t.Key === 'Name' && t.Value === `${plan.name}-data`));
    const [[gatewaySg]] = resourcesOf(json, 'AWS::EC2::SecurityGroup').filter(([, r]) => r.Properties.Tags?.some((t: any) => t.Key === 'Name' && t.Value === `${plan.name}-gateway`));
    const [[, db]] = resourcesOf(json, 'AWS::RDS::DBInstance');
    expect(db.Properties.VPCSecurityGroups).toEqual([{ 'Fn::GetAtt': [dataSg, 'GroupId'] }]);
    for (const [, cache] of resourcesOf(json, 'AWS::ElastiCache::ReplicationGroup')) {
      expect(cache.Properties.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [dataSg, 'GroupId'] }]);
    }
    const ingress = resourcesOf(json, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties)
      .filter((p) => JSON.stringify(p.GroupId).includes(`"${dataSg}"`));
    expect(ingress.map((p) => `${p.SourceSecurityGroupId['Fn::GetAtt'][0]}:${p.FromPort}-${p.ToPort}`).sort())
      .toEqual([`${gatewaySg}:5432-5432`, ...(plan.gateway.sharedCounters ? [`${gatewaySg}:6379-6379`] : [])].sort());
  });

  test('nodes: IMDSv2 required with hop limit 1, every EBS volume encrypted with the boundary key, no SSH', () => {
    const { json } = synth(name);
    const templates = resourcesOf(json, 'AWS::EC2::LaunchTemplate').map(([, r]) => r.Properties.LaunchTemplateData);
    expect(templates.length).toBeGreaterThan(0);
    for (const t of templates) {
      expect(t.MetadataOptions).toEqual(expect.objectContaining({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }));
      expect(t.KeyName).toBeUndefined();
      expect(t.BlockDeviceMappings.every((b: any) => b.Ebs.Encrypted === true && b.Ebs.KmsKeyId !== undefined)).toBe(true);
    }
    expect(resourcesOf(json, 'AWS::EKS::Nodegroup').filter(([, r]) => r.Properties.RemoteAccess)).toEqual([]);
  });

  test('audit bucket: Object Lock mode and days as declared, versioned, KMS, public access blocked', () => {
    const { json } = synth(name);
    const audit = resourcesOf(json, 'AWS::S3::Bucket').find(([, r]) => r.Properties.BucketName === plan.names.auditBucket());
    expect(audit).toBeDefined();
    const p = audit![1].Properties;
    expect(p.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: plan.spec.audit.objectLock.toUpperCase(), Days: plan.spec.audit.retentionDays });
    expect(p.VersioningConfiguration.Status).toBe('Enabled');
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  });

  test('encryption at rest on every store: buckets, secrets, database, cache, log groups', () => {
    const { json } = synth(name);
    expect(resourcesOf(json, 'AWS::S3::Bucket').filter(([, r]) => !r.Properties.BucketEncryption)).toEqual([]);
    expect(resourcesOf(json, 'AWS::SecretsManager::Secret').filter(([, r]) => !r.Properties.KmsKeyId)).toEqual([]);
    expect(resourcesOf(json, 'AWS::SecretsManager::Secret').filter(([, r]) => r.Properties.SecretString !== undefined && typeof r.Properties.SecretString === 'string')).toEqual([]);
    expect(resourcesOf(json, 'AWS::RDS::DBInstance').filter(([, r]) => r.Properties.StorageEncrypted !== true || r.Properties.PubliclyAccessible === true)).toEqual([]);
    expect(resourcesOf(json, 'AWS::ElastiCache::ReplicationGroup').filter(([, r]) => r.Properties.AtRestEncryptionEnabled !== true || r.Properties.TransitEncryptionEnabled !== true)).toEqual([]);
    expect(resourcesOf(json, 'AWS::ElastiCache::ReplicationGroup').length).toBe(plan.gateway.sharedCounters ? 1 : 0);
    expect(resourcesOf(json, 'AWS::Logs::LogGroup').filter(([, r]) => !r.Properties.KmsKeyId)).toEqual([]);
    expect(resourcesOf(json, 'AWS::KMS::Key').map(([, r]) => r.Properties.EnableKeyRotation)).toEqual([true]);
  });

  test('break-glass needs MFA; every grant role expires at the grant end and trusts only its principal', () => {
    const { json } = synth(name);
    const roles = resourcesOf(json, 'AWS::IAM::Role').map(([, r]) => r.Properties);
    const bg = plan.spec.access.breakGlass;
    const bgRoles = roles.filter((r) => bg && r.RoleName === bg.roleArn.split('/').pop());
    expect(bgRoles.length).toBe(bg ? 1 : 0);
    for (const r of bgRoles) {
      expect(r.AssumeRolePolicyDocument.Statement.every((s: any) => s.Condition?.Bool?.['aws:MultiFactorAuthPresent'] === 'true')).toBe(true);
    }
    for (const g of plan.spec.access.grants) {
      const role = roles.find((r) => JSON.stringify(r.AssumeRolePolicyDocument).includes(g.principal));
      expect(role).toBeDefined();
      const end = new Date(Date.parse(`${g.expires}T00:00:00Z`) + 86_400_000).toISOString().replace('.000Z', 'Z');
      expect(role!.AssumeRolePolicyDocument.Statement.map((s: any) => s.Condition?.DateLessThan?.['aws:CurrentTime'])).toEqual([end]);
    }
  });

  test('agrees with the Kubernetes target on every name it creates for it', () => {
    const { json } = synth(name);
    const k8s = objectsOf(plan);
    // Pod Identity associations: exactly the service accounts the chart renders for AWS access, and the controllers'
    // (installed by the platform team under the plan's names; their NetworkPolicies are in the chart).
    const assoc = resourcesOf(json, 'AWS::EKS::PodIdentityAssociation').map(([, r]) => `${r.Properties.Namespace}/${r.Properties.ServiceAccount}`).sort();
    const sas = new Set([...ofKind(k8s, 'ServiceAccount').map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
      ...plan.controllers.filter((c) => c.role).map((c) => `${c.namespace}/${c.serviceAccount}`)]);
    expect(assoc.filter((a) => !sas.has(a))).toEqual([]);
    expect(assoc).toEqual(expect.arrayContaining([`${plan.gateway.namespace}/gateway`]));
    // The SecretStore's web-identity role and the role the template creates.
    const storeRole = ofKind(k8s, 'ServiceAccount').find((s) => s.metadata.name === 'secrets-reader')?.metadata.annotations?.['eks.amazonaws.com/role-arn'];
    expect(storeRole).toBe(`arn:aws:iam::${plan.spec.aws!.account}:role/${plan.names.workloadRole('external-secrets')}`);
    expect(resourcesOf(json, 'AWS::IAM::Role').some(([, r]) => r.Properties.RoleName === plan.names.workloadRole('external-secrets'))).toBe(true);
    // Every remote key an ExternalSecret reads exists as a Secrets Manager secret of that name.
    const remoteKeys = new Set(ofKind(k8s, 'ExternalSecret').flatMap((e: any) => e.spec.data.map((d: any) => d.remoteRef.key)));
    const secretNames = new Set(resourcesOf(json, 'AWS::SecretsManager::Secret').map(([, r]) => r.Properties.Name));
    expect([...remoteKeys].filter((k) => !secretNames.has(k))).toEqual([]);
    // The audit bucket LiteLLM writes to is the Object Lock bucket of the template.
    const config = parse((ofKind(k8s, 'ConfigMap').find((c) => c.metadata.name === 'gateway-config') as any).data['config.yaml']);
    expect(resourcesOf(json, 'AWS::S3::Bucket').map(([, r]) => r.Properties.BucketName)).toContain(config.litellm_settings.s3_callback_params.s3_bucket_name);
    // Karpenter's instance profile and the KMS alias its volumes use.
    for (const nc of ofKind(k8s, 'EC2NodeClass') as any[]) {
      expect(resourcesOf(json, 'AWS::IAM::InstanceProfile').map(([, r]) => r.Properties.InstanceProfileName)).toContain(nc.spec.instanceProfile);
      expect(nc.spec.blockDeviceMappings[0].ebs.kmsKeyID).toBe(plan.names.kmsAliasArn());
    }
    expect(resourcesOf(json, 'AWS::KMS::Alias').map(([, r]) => r.Properties.AliasName)).toEqual([`alias/${plan.name}-boundary`]);
    // RBAC groups of grants and break-glass are the groups the access entries carry.
    const entryGroups = new Set(resourcesOf(json, 'AWS::EKS::AccessEntry').flatMap(([, r]) => r.Properties.KubernetesGroups ?? []));
    expect(plan.access.privileged.map((b) => b.group).filter((g) => !entryGroups.has(g))).toEqual([]);
    // Subnet Name tags the internal NLB annotation names.
    const subnetNames = new Set(resourcesOf(json, 'AWS::EC2::Subnet').map(([, r]) => r.Properties.Tags.find((t: any) => t.Key === 'Name')?.Value));
    expect((plan.gateway.internalLoadBalancer?.subnetNames ?? []).filter((n) => !subnetNames.has(n))).toEqual([]);
  });
});
