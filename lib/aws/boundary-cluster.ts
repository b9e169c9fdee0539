import { createHash } from 'node:crypto';
import { RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, DependencyGroup, type IConstruct } from 'constructs';
import { addonVersionsFor, EKS_ADDON_NAMES, VPC_CNI_CONFIGURATION, type EksAddonName } from './eks-addons';

/** OIDC identity provider whose group claim the API server maps to Kubernetes groups (`AWS::EKS::IdentityProviderConfig`). */
export interface ClusterOidcProps {
  /** Issuer URL (https), the `iss` claim of the IdP's ID tokens. */
  readonly issuerUrl: string;
  /** Client id (audience) the API server accepts. */
  readonly clientId: string;
  /**
   * Claim holding the user's groups.
   * @default - no group mapping
   */
  readonly groupsClaim?: string;
  /**
   * Prefix put before every IdP group name (RBAC subjects carry it), so IdP groups cannot pose as `system:` groups.
   * @default - no prefix
   */
  readonly groupsPrefix?: string;
  /**
   * Claim used as the Kubernetes user name.
   * @default 'sub'
   */
  readonly usernameClaim?: string;
  /**
   * Prefix put before every user name.
   * @default - EKS behaviour: `<issuerUrl>#` unless the claim is `email`
   */
  readonly usernamePrefix?: string;
}

/** One EKS access policy of an access entry, with its scope. */
export interface AccessPolicyGrant {
  /** ARN of the access policy, e.g. `eks.AccessPolicyArn.AMAZON_EKS_VIEW_POLICY.policyArn`. */
  readonly policyArn: string;
  /** Whole cluster, or only these namespaces. */
  readonly scope: 'cluster' | { readonly namespaces: readonly string[] };
}

/** Options of {@link BoundaryCluster.addAccessEntry}. */
export interface AccessEntryOptions {
  /**
   * Kubernetes groups the principal is mapped to (bound by RoleBindings of the Kubernetes target).
   * @default - none
   */
  readonly kubernetesGroups?: readonly string[];
  /**
   * EKS access policies associated with the entry.
   * @default - none: Kubernetes RBAC alone decides
   */
  readonly policies?: readonly AccessPolicyGrant[];
  /**
   * Entry type; `EC2_LINUX` for a node role that no managed node group registers (e.g. Karpenter-only nodes).
   * @default 'STANDARD'
   */
  readonly type?: 'STANDARD' | 'EC2_LINUX';
  /**
   * Construct id of the entry; required when `principalArn` is a token.
   * @default - derived from a hash of `principalArn`
   */
  readonly id?: string;
}

/** Properties of a {@link BoundaryCluster}. */
export interface BoundaryClusterProps {
  /** Cluster name (plain string: the control-plane log group name is derived from it). */
  readonly clusterName: string;
  /** Kubernetes minor, `"1.30"`–`"1.34"`; selects the pinned add-on versions (lib/aws/eks-addons.ts). */
  readonly version: string;
  /** VPC of the cluster. */
  readonly vpc: ec2.IVpc;
  /** Subnets of the control-plane ENIs (the boundary's gateway and models subnets). */
  readonly subnets: ec2.ISubnet[];
  /** Customer-managed key for envelope encryption of Kubernetes Secrets (and the log group this construct creates). */
  readonly encryptionKey: kms.IKey;
  /**
   * Log group EKS writes the control-plane logs to. EKS always writes to `/aws/eks/<clusterName>/cluster` and
   * creates that group itself (no retention, no KMS) if it does not exist, so a group passed here must have that
   * name; the cluster is created after it, so EKS finds it and our retention and key apply.
   * @default - a group named `/aws/eks/<clusterName>/cluster`, encrypted with `encryptionKey`, kept `logRetention`
   */
  readonly controlPlaneLogGroup?: logs.ILogGroup;
  /**
   * Retention of the control-plane log group when this construct creates it.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * OIDC identity provider for people (teams' IdP groups).
   * @default - none: only IAM principals with access entries reach the API
   */
  readonly oidc?: ClusterOidcProps;
  /**
   * Additional security group of the control-plane ENIs (add ingress on 443 from admin networks to it).
   * @default - a group with no ingress and no egress rule
   */
  readonly securityGroup?: ec2.ISecurityGroup;
}

const CONTROL_PLANE_LOG_TYPES = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];

const ADDON_IDS: Record<EksAddonName, string> = {
  'vpc-cni': 'VpcCni',
  'kube-proxy': 'KubeProxy',
  'eks-pod-identity-agent': 'PodIdentityAgent',
  coredns: 'CoreDns',
};

/**
 * EKS cluster of a private AI boundary (aws-eks-v2, native CloudFormation only: no kubectl Lambda, no custom
 * resource): private endpoint, every control-plane log type, Secrets envelope-encrypted with the CMK, API
 * authentication mode with access entries only, no creator admin, no default capacity, pinned EKS add-ons with
 * VPC CNI NetworkPolicy enforcement in strict mode, an IAM OIDC provider for web-identity roles and, optionally,
 * an OIDC identity provider for people.
 *
 * Nobody can use the Kubernetes API until an access entry says so: `bootstrapClusterCreatorAdminPermissions` is
 * false because the creator is the CloudFormation deployment role, a standing admin nobody audits. The break-glass
 * role gets `AmazonEKSClusterAdminPolicy` through {@link addAccessEntry}; nodes join through the access entries
 * EKS creates for managed node groups.
 */
export class BoundaryCluster extends Construct {
  /** The EKS cluster. */
  public readonly cluster: eks.ICluster;
  /** Cluster name. */
  public readonly clusterName: string;
  /** The cluster security group EKS creates and attaches to the control plane and every managed node. */
  public readonly clusterSecurityGroup: ec2.ISecurityGroup;
  /** The additional security group of the control-plane ENIs. */
  public readonly controlPlaneSecurityGroup: ec2.ISecurityGroup;
  /** IAM role of the control plane. */
  public readonly clusterRole: iam.IRole;
  /** Log group of the control-plane logs. */
  public readonly controlPlaneLogGroup: logs.ILogGroup;
  /** IAM OIDC provider of the cluster's service-account issuer (for web-identity roles, e.g. External Secrets). */
  public readonly oidcProvider: iam.IOidcProvider;
  /** OIDC identity provider config for people, when `oidc` is set. */
  public readonly identityProviderConfig?: eks.CfnIdentityProviderConfig;
  /** The pinned EKS add-ons, by name. */
  public readonly addons: Readonly<Record<EksAddonName, eks.CfnAddon>>;
  private readonly beforeCompute = new DependencyGroup();

  constructor(scope: Construct, id: string, props: BoundaryClusterProps) {
    super(scope, id);
    if (Token.isUnresolved(props.clusterName)) throw new Error('BoundaryCluster: clusterName must be a plain string');
    const versions = addonVersionsFor(props.version);
    this.clusterName = props.clusterName;

    this.controlPlaneLogGroup = props.controlPlaneLogGroup ?? new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${props.clusterName}/cluster`,
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.controlPlaneSecurityGroup = props.securityGroup ?? new ec2.SecurityGroup(this, 'ControlPlaneSecurityGroup', {
      vpc: props.vpc,
      description: `EKS control plane of ${props.clusterName}: no ingress, no egress unless added`,
      allowAllOutbound: false,
    });

    const cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: eks.KubernetesVersion.of(props.version),
      vpc: props.vpc,
      vpcSubnets: [{ subnets: props.subnets }],
      securityGroup: this.controlPlaneSecurityGroup,
      endpointAccess: eks.EndpointAccess.PRIVATE,
      secretsEncryptionKey: props.encryptionKey,
      clusterLogging: CONTROL_PLANE_LOG_TYPES,
      // Managed node groups only (GpuNodePool, SystemNodeGroup): no Auto Mode, no default capacity.
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      bootstrapClusterCreatorAdminPermissions: false,
      // Every networking component is a pinned EKS add-on below, never an unpinned self-managed copy.
      bootstrapSelfManagedAddons: false,
      outputConfigCommand: false,
    });
    // EKS creates `/aws/eks/<name>/cluster` itself on first write unless it exists: create the cluster after it.
    cluster.node.defaultChild!.node.addDependency(this.controlPlaneLogGroup);
    this.cluster = cluster;
    this.clusterRole = cluster.role;
    this.clusterSecurityGroup = cluster.clusterSecurityGroup;

    // aws-eks-v2 passes the key ARN to EKS but grants the cluster role nothing on it.
    const keyUse = new iam.ManagedPolicy(this, 'SecretsKeyPolicy', {
      description: `Envelope encryption of ${props.clusterName} Secrets with the boundary key`,
      statements: [
        new iam.PolicyStatement({ actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], resources: [props.encryptionKey.keyArn] }),
        new iam.PolicyStatement({
          actions: ['kms:CreateGrant'],
          resources: [props.encryptionKey.keyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      ],
    });
    cluster.role.addManagedPolicy(keyUse);
    Validations.of(cluster.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
      reason: 'AmazonEKSClusterPolicy is the AWS-managed policy EKS requires on a cluster role; AWS maintains it as the control plane evolves, and only the EKS service can assume the role.',
    });
    Validations.of(cluster.node.defaultChild!).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason: "aws-eks-v2 emits EncryptionConfig[].Resources ['secrets'], the only value EKS accepts; the schema marks it deprecated, but it still selects Kubernetes Secrets for envelope encryption with the boundary key (asserted by tests).",
    });

    const addons: Partial<Record<EksAddonName, eks.CfnAddon>> = {};
    for (const name of EKS_ADDON_NAMES) {
      addons[name] = new eks.CfnAddon(this, ADDON_IDS[name], {
        clusterName: cluster.clusterName,
        addonName: name,
        addonVersion: versions[name],
        resolveConflicts: 'OVERWRITE',
        ...(name === 'vpc-cni' ? { configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION) } : {}),
      });
      if (name !== 'coredns') this.beforeCompute.add(addons[name]);
    }
    this.addons = addons as Record<EksAddonName, eks.CfnAddon>;

    this.oidcProvider = new eks.OidcProviderNative(this, 'OidcProvider', { url: cluster.clusterOpenIdConnectIssuerUrl });

    if (props.oidc) {
      this.identityProviderConfig = new eks.CfnIdentityProviderConfig(this, 'IdentityProvider', {
        clusterName: cluster.clusterName,
        type: 'oidc',
        identityProviderConfigName: `${props.clusterName}-oidc`,
        oidc: {
          issuerUrl: props.oidc.issuerUrl,
          clientId: props.oidc.clientId,
          groupsClaim: props.oidc.groupsClaim,
          groupsPrefix: props.oidc.groupsPrefix,
          usernameClaim: props.oidc.usernameClaim,
          usernamePrefix: props.oidc.usernamePrefix,
        },
      });
    }
  }

  /**
   * Maps an IAM principal to Kubernetes groups and EKS access policies (native `AWS::EKS::AccessEntry`).
   * A role used by a managed node group gets its entry from EKS: do not add an `EC2_LINUX` entry for it too.
   */
  public addAccessEntry(principalArn: string, options: AccessEntryOptions = {}): eks.CfnAccessEntry {
    let id = options.id;
    if (id === undefined) {
      if (Token.isUnresolved(principalArn)) throw new Error('BoundaryCluster.addAccessEntry: pass options.id when principalArn is a token');
      id = `AccessEntry${createHash('sha256').update(principalArn).digest('hex').slice(0, 12)}`;
    }
    return new eks.CfnAccessEntry(this, id, {
      clusterName: this.cluster.clusterName,
      principalArn,
      type: options.type ?? 'STANDARD',
      kubernetesGroups: options.kubernetesGroups ? [...options.kubernetesGroups] : undefined,
      accessPolicies: options.policies?.map((p) => ({
        policyArn: p.policyArn,
        accessScope: p.scope === 'cluster' ? { type: 'cluster' } : { type: 'namespace', namespaces: [...p.scope.namespaces] },
      })),
    });
  }

  /**
   * Orders a node group with the add-ons: it is created after vpc-cni, kube-proxy and the Pod Identity agent (its
   * nodes start with NetworkPolicy enforcement on), and CoreDNS (a Deployment, needs nodes) after it. Without a
   * registered group CoreDNS is created on an empty cluster and reports DEGRADED until nodes arrive (CloudFormation
   * accepts DEGRADED as created, so the stack still completes).
   */
  public addCompute(nodeGroup: IConstruct): void {
    nodeGroup.node.addDependency(this.beforeCompute);
    this.addons.coredns.node.addDependency(nodeGroup);
  }
}
