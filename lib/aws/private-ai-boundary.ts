import { CfnOutput } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { remoteSecretsOf } from '../plan/secrets-plan';
import { AuditLogArchive } from './audit-log-archive';
import { BoundaryCluster } from './boundary-cluster';
import { BoundaryKey } from './boundary-key';
import { BoundaryNetwork } from './boundary-network';
import { BreakGlassRole } from './break-glass-role';
import { GatewayState } from './gateway-state';
import { GatewayWebAcl } from './gateway-web-acl';
import { createNodeRole, GpuNodePool } from './gpu-node-pool';
import { KarpenterController } from './karpenter-controller';
import { LoadBalancerControllerIdentity } from './load-balancer-controller';
import { ModelStore } from './model-store';
import { SecretsStore, storedSecretsOf } from './secrets-store';
import { SystemNodeGroup } from './system-node-group';
import { grantRoleName, TimeBoundGrant } from './time-bound-grant';
import { WebIdentityRole } from './web-identity-role';
import { WorkloadIdentity } from './workload-identity';

/** Props of {@link PrivateAiBoundary}. */
export interface PrivateAiBoundaryProps {
  /** The plan of a boundary with an `aws` section. */
  readonly plan: BoundaryPlan;
}

/**
 * The AWS layer of one boundary: the reusable constructs of lib/aws wired from the plan, with the names the
 * Kubernetes target already references (roles, instance profile, KMS alias, secrets, subnets, audit bucket).
 */
export class PrivateAiBoundary extends Construct {
  /** The customer-managed key. */
  public readonly key: BoundaryKey;
  /** VPC, subnets, endpoints, security groups, flow logs. */
  public readonly network: BoundaryNetwork;
  /** Audit bucket, trail, log groups. */
  public readonly audit: AuditLogArchive;
  /** The EKS cluster. */
  public readonly cluster: BoundaryCluster;
  /** The web ACL of the public load balancer, when the boundary declares public ingress without naming its own ACL. */
  public readonly webAcl?: GatewayWebAcl;

  constructor(scope: Construct, id: string, props: PrivateAiBoundaryProps) {
    super(scope, id);
    const { plan } = props;
    const spec = plan.spec;
    if (!spec.aws) throw new Error(`internal: boundary ${plan.name} has no aws section; the CloudFormation target does not apply`);
    const names = plan.names;

    this.key = new BoundaryKey(this, 'Key', { aliasName: names.kmsAlias() });
    const key = this.key.key;

    this.network = new BoundaryNetwork(this, 'Network', {
      boundaryName: plan.name,
      cidr: plan.network.vpcCidr,
      azCount: plan.network.azCount,
      subnets: plan.network.subnets.map((s) => ({ ...s, name: names.subnetName(s.zone, s.azIndex) })),
      endpoints: plan.network.vpcEndpoints,
      flowLogs: { retentionDays: spec.audit.retentionDays, encryptionKey: key },
    });
    const zones = this.network.subnetsByZone;
    const sgs = this.network.securityGroups;

    this.audit = new AuditLogArchive(this, 'Audit', {
      bucketName: names.auditBucket(),
      encryptionKey: key,
      retentionDays: spec.audit.retentionDays,
      objectLock: spec.audit.objectLock,
      reason: spec.audit.reason,
      legalHold: spec.audit.legalHold,
      clusterName: plan.name,
      accessLogsBucketName: names.accessLogsBucket(),
    });

    this.cluster = new BoundaryCluster(this, 'Cluster', {
      clusterName: plan.name,
      version: spec.kubernetes.version,
      vpc: this.network.vpc,
      subnets: [...zones.gateway, ...zones.models],
      encryptionKey: key,
      controlPlaneLogGroup: this.audit.controlPlaneLogGroup,
      oidc: spec.kubernetes.oidc,
    });
    const clusterName = this.cluster.clusterName;

    // System nodes in the gateway zone carry the gateway security group: only pods on them can reach the data stores.
    const system = new SystemNodeGroup(this, 'SystemNodes', {
      cluster: this.cluster.cluster, subnets: zones.gateway, encryptionKey: key, securityGroups: [sgs.gateway],
    });
    this.cluster.addCompute(system);
    const nodeRole = this.addGpuPools(plan, key);

    // Public ingress: the ALB (created by the AWS Load Balancer Controller) sits behind this web ACL unless the spec
    // names its own, and writes access logs to the access-log bucket.
    const alb = plan.gateway.publicIngress;
    if (alb && 'aclName' in alb.waf) {
      this.webAcl = new GatewayWebAcl(this, 'WebAcl', { name: alb.waf.aclName, encryptionKey: key, logRetentionDays: spec.audit.retentionDays });
    }
    if (alb?.accessLogs) this.audit.deliverLoadBalancerAccessLogs(alb.accessLogs.prefix);
    this.addControllers(plan, clusterName, nodeRole);

    // Model stores: one bucket per bucket the models stream from, reachable only through the S3 endpoints.
    const endpointIds = Object.entries(this.network.endpoints).filter(([k]) => k.endsWith(':s3')).map(([, e]) => e.ref);
    const stores = new Map<string, ModelStore>();
    for (const m of plan.models) {
      if (m.weights.kind !== 's3') continue;
      const bucket = m.weights.bucket;
      let store = stores.get(bucket);
      if (!store) {
        store = new ModelStore(this, `ModelStore-${bucket}`, {
          bucketName: bucket, encryptionKey: key, vpcEndpointIds: endpointIds, serverAccessLogsBucket: this.audit.accessLogsBucket,
        });
        this.audit.recordObjectAccess(store.bucket);
        stores.set(bucket, store);
      }
      const identity = new WorkloadIdentity(this, `Identity-${m.workload}`, {
        roleName: names.workloadRole(`model-${m.name}`), clusterName, namespace: m.namespace, serviceAccount: m.workload,
      });
      const prefix = m.weights.uri.slice(`s3://${bucket}/`.length);
      store.grantReadWeights(identity.role, prefix === '' ? undefined : prefix);
    }

    // The gateway writes request-audit records (metadata only) under its prefix.
    const gateway = new WorkloadIdentity(this, 'Identity-gateway', {
      roleName: names.workloadRole('gateway'), clusterName, namespace: plan.gateway.namespace, serviceAccount: 'gateway',
    });
    this.audit.grantWriteRequests(gateway.role, plan.gateway.audit.prefix);

    this.addSecrets(plan, key, sgs.gateway);
    this.addPrivilegedAccess(plan, clusterName);

    new CfnOutput(this, 'ClusterName', { value: clusterName, description: 'EKS cluster (private endpoint only)' });
    new CfnOutput(this, 'VpcId', { value: this.network.vpc.vpcId, description: 'boundary VPC (the AWS Load Balancer Controller\'s vpcId: pods have no IMDS to discover it)' });
    new CfnOutput(this, 'AuditBucket', { value: this.audit.bucket.bucketName, description: 'request and control-plane audit (Object Lock)' });
  }

  /** AWS identities (and Karpenter's interruption queue) of the controllers the plan says the boundary relies on. */
  private addControllers(plan: BoundaryPlan, clusterName: string, nodeRole: iam.IRole | undefined): void {
    for (const c of plan.controllers) {
      if (c.name === 'aws-load-balancer-controller') {
        const alb = plan.gateway.publicIngress;
        const webAclArns = !alb ? [] : 'aclArn' in alb.waf ? [alb.waf.aclArn] : [this.webAcl!.webAcl.attrArn];
        new LoadBalancerControllerIdentity(this, 'LoadBalancerController', {
          roleName: c.role!, clusterName, vpcId: this.network.vpc.vpcId, webAclArns, namespace: c.namespace, serviceAccount: c.serviceAccount,
        });
      } else if (c.name === 'karpenter') {
        if (!nodeRole) throw new Error('internal: Karpenter is planned without a GPU node role');
        const karpenter = new KarpenterController(this, 'Karpenter', {
          roleName: c.role!, clusterName, nodeRoleArn: nodeRole.roleArn, queueName: plan.names.karpenterQueue(),
          namespace: c.namespace, serviceAccount: c.serviceAccount,
        });
        new CfnOutput(this, 'KarpenterInterruptionQueue', { value: karpenter.queue.queueName, description: 'Karpenter settings.interruptionQueue' });
      }
      // External Secrets has no role of its own: each SecretStore assumes the secrets-reader role (addSecrets).
    }
  }

  private addGpuPools(plan: BoundaryPlan, key: BoundaryKey['key']): iam.IRole | undefined {
    const zones = this.network.subnetsByZone;
    const nodeName = plan.names.instanceProfile('gpu-node');
    let nodeRole: iam.IRole | undefined;
    for (const pool of plan.pools.filter((p) => p.provisioner === 'managed-node-group')) {
      const np = new GpuNodePool(this, `Pool-${pool.name}`, {
        cluster: this.cluster.cluster,
        name: plan.names.gpuPool(pool.name),
        subnets: zones.models,
        instanceTypes: pool.instanceTypes,
        minNodes: pool.minNodes,
        maxNodes: pool.maxNodes,
        capacityType: pool.capacityType,
        diskGiB: pool.diskGiB,
        labels: pool.labels,
        taints: pool.taints,
        encryptionKey: key,
        securityGroups: [this.network.securityGroups.models],
        ...(nodeRole ? { nodeRole } : { nodeRoleName: nodeName, instanceProfileName: nodeName }),
      });
      nodeRole ??= np.nodeRole;
      this.cluster.addCompute(np);
    }
    if (!nodeRole && plan.pools.some((p) => p.provisioner === 'karpenter')) {
      // Karpenter launches nodes with this instance profile (the EC2NodeClass names it); EKS admits them via an EC2_LINUX entry.
      const role = createNodeRole(this, 'GpuNodeRole', nodeName);
      new iam.CfnInstanceProfile(this, 'GpuNodeInstanceProfile', { instanceProfileName: nodeName, roles: [role.roleName] });
      this.cluster.addAccessEntry(role.roleArn, { id: 'GpuNodes', type: 'EC2_LINUX' });
      return role;
    }
    return nodeRole;
  }

  private addSecrets(plan: BoundaryPlan, key: BoundaryKey['key'], gatewaySg: ec2.ISecurityGroup): void {
    const spec = plan.spec;
    const readers: string[] = [];
    let readerRole: iam.IRole | undefined;
    if (plan.secrets.store === 'aws-secrets-manager') {
      const oidc = this.cluster.oidcProvider;
      const reader = new WebIdentityRole(this, 'SecretsReader', {
        roleName: plan.names.workloadRole('external-secrets'),
        oidcProviderArn: oidc.openIdConnectProviderArn,
        issuer: oidc.openIdConnectProviderIssuer,
        subjects: plan.secrets.readerSubjects,
      });
      readers.push(reader.role.roleArn);
      readerRole = reader.role;
    }
    // GatewayState owns the secrets it fills (database credentials, Valkey AUTH token and endpoint); the store the rest.
    const gs = plan.gatewayState;
    const state = new GatewayState(this, 'GatewayState', {
      identifier: gs.identifier,
      vpc: this.network.vpc,
      dataSubnets: this.network.subnetsByZone.data,
      clientSecurityGroup: gatewaySg,
      // The data zone's group: the database and cache are its members, and GatewayState opens gateway → data on their ports.
      securityGroup: this.network.securityGroups.data,
      encryptionKey: key,
      databaseSecretName: gs.databaseSecretName,
      multiAz: gs.multiAz,
      backupRetentionDays: gs.backupRetentionDays,
      logRetentionDays: spec.audit.retentionDays,
      rotationDays: spec.secrets.rotationDays,
      rotationOwner: spec.owner,
      readerRoleArns: readers,
      ...(gs.sharedCounters ? { sharedCounters: gs.sharedCounters } : {}),
    });
    const owned = new Set([gs.databaseSecretName, ...(gs.sharedCounters ? [gs.sharedCounters.authSecretName, gs.sharedCounters.endpointSecretName] : [])]);
    const remote = remoteSecretsOf(plan.secrets).filter((r) => !owned.has(r.remoteKey));
    const store = new SecretsStore(this, 'Secrets', {
      secrets: storedSecretsOf(remote),
      encryptionKey: key,
      readerRoleArns: readers,
      rotationDays: spec.secrets.rotationDays,
      rotationOwner: spec.owner,
    });
    // The resource policies deny every other reader; these grants are the matching IAM allow (and KMS decrypt via Secrets Manager).
    if (readerRole) {
      store.grantRead(readerRole);
      state.grantRead(readerRole);
    }
  }

  private addPrivilegedAccess(plan: BoundaryPlan, clusterName: string): void {
    const namespaces = plan.namespaces.map((n) => n.name);
    for (const b of plan.access.privileged) {
      if (b.kind === 'break-glass') {
        new BreakGlassRole(this, 'BreakGlass', { roleArn: b.principal, clusterName, kubernetesGroup: b.group });
      } else {
        const grant = plan.spec.access.grants.find((g) => g.principal === b.principal)!;
        new TimeBoundGrant(this, `Grant-${b.name}`, {
          principalArn: b.principal, level: grant.level, expires: grant.expires, reason: grant.reason,
          roleName: grantRoleName(plan.name, b.principal), clusterName, namespaces, kubernetesGroup: b.group,
        });
      }
    }
  }
}
