import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** NVIDIA AMI types (EKS API values). Bottlerocket NVIDIA ships the NVIDIA device plugin; AL2023 NVIDIA does not. */
export type GpuAmiType = 'BOTTLEROCKET_x86_64_NVIDIA' | 'BOTTLEROCKET_ARM_64_NVIDIA' | 'AL2023_x86_64_NVIDIA' | 'AL2023_ARM_64_NVIDIA';

/** Any AMI type a hardened node group accepts (EKS API values, Bottlerocket or AL2023 only). */
export type NodeAmiType = GpuAmiType | 'BOTTLEROCKET_x86_64' | 'BOTTLEROCKET_ARM_64' | 'AL2023_x86_64_STANDARD' | 'AL2023_ARM_64_STANDARD';

/** A Kubernetes taint every node of a group carries (Kubernetes spelling of the effect). */
export interface NodeTaint {
  /** Taint key, e.g. `nvidia.com/gpu`. */
  readonly key: string;
  /** Taint value, e.g. `true`. */
  readonly value: string;
  /** Effect as Kubernetes spells it; the EKS API spelling (`NO_SCHEDULE`) is derived. */
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

const TAINT_EFFECT = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' } as const;

/** AWS-managed policies of an EKS node role: join the cluster, pull from ECR, and let the VPC CNI manage ENIs. */
export const NODE_ROLE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonEKS_CNI_Policy'] as const;

/**
 * An EC2 node role with {@link NODE_ROLE_MANAGED_POLICIES}. Pods cannot borrow it: IMDSv2 with hop limit 1 keeps
 * instance credentials on the host network (aws-node, kube-proxy); workloads get their own roles by Pod Identity.
 */
export function createNodeRole(scope: Construct, id: string, roleName?: string): iam.Role {
  const role = new iam.Role(scope, id, {
    roleName,
    description: 'EKS node role: kubelet, image pulls, VPC CNI',
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    managedPolicies: NODE_ROLE_MANAGED_POLICIES.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
  });
  Validations.of(role).acknowledge(...NODE_ROLE_MANAGED_POLICIES.map((p) => ({
    id: `AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`,
    reason: `${p} is one of the AWS-managed policies EKS documents for node roles; AWS keeps it in step with EKS, and IMDSv2 hop limit 1 keeps the node credentials away from pods.`,
  })));
  return role;
}

/** What {@link createHardenedNodegroup} builds a managed node group from. */
export interface HardenedNodegroupOptions {
  /** Cluster the nodes join. */
  readonly cluster: eks.ICluster;
  /** Node group name. */
  readonly name: string;
  /** Subnets of the nodes. */
  readonly subnets: readonly ec2.ISubnet[];
  /** EC2 instance types. */
  readonly instanceTypes: readonly string[];
  /** Minimum (and initial) node count. */
  readonly minNodes: number;
  /** Maximum node count. */
  readonly maxNodes: number;
  /** EKS capacity type. */
  readonly capacityType: 'ON_DEMAND' | 'SPOT';
  /** Size of the data volume (Bottlerocket `/dev/xvdb`) or root volume (AL2023 `/dev/xvda`). */
  readonly diskGiB: number;
  /** Node labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Node taints. */
  readonly taints: readonly NodeTaint[];
  /** AMI type. */
  readonly amiType: NodeAmiType;
  /** AMI release version, or undefined for the latest at creation. */
  readonly releaseVersion?: string;
  /** Key encrypting every EBS volume. */
  readonly encryptionKey: kms.IKey;
  /** Node role. */
  readonly nodeRole: iam.IRole;
  /** Extra security groups; the cluster security group is always kept. */
  readonly securityGroups: readonly ec2.ISecurityGroup[];
}

/** Encrypted gp3 EBS settings with the boundary key. */
function encryptedGp3(key: kms.IKey, volumeSize?: number): ec2.CfnLaunchTemplate.EbsProperty {
  return { encrypted: true, kmsKeyId: key.keyArn, volumeType: 'gp3', deleteOnTermination: true, ...(volumeSize ? { volumeSize } : {}) };
}

/**
 * Block devices: Bottlerocket boots from `/dev/xvda` (OS image, sized by its snapshot) and keeps images, logs and
 * ephemeral storage on the data volume `/dev/xvdb`; AL2023 has one root volume `/dev/xvda`. Every volume is
 * encrypted with the key (https://github.com/bottlerocket-os/bottlerocket#default-volumes; Karpenter's Bottlerocket
 * defaults map the same two devices).
 */
function blockDevices(amiType: NodeAmiType, diskGiB: number, key: kms.IKey): ec2.CfnLaunchTemplate.BlockDeviceMappingProperty[] {
  if (amiType.startsWith('BOTTLEROCKET')) {
    return [
      { deviceName: '/dev/xvda', ebs: encryptedGp3(key) },
      { deviceName: '/dev/xvdb', ebs: encryptedGp3(key, diskGiB) },
    ];
  }
  return [{ deviceName: '/dev/xvda', ebs: encryptedGp3(key, diskGiB) }];
}

/**
 * A managed node group with the boundary's node hardening: launch template with IMDSv2 required and hop limit 1,
 * every EBS volume encrypted gp3 with the key, no key pair and no remote access, explicit AMI type, labels and taints.
 */
export function createHardenedNodegroup(scope: Construct, o: HardenedNodegroupOptions): { launchTemplate: ec2.CfnLaunchTemplate; nodegroup: eks.CfnNodegroup } {
  if (!Number.isInteger(o.minNodes) || !Number.isInteger(o.maxNodes) || o.minNodes < 0 || o.maxNodes < 1 || o.minNodes > o.maxNodes) {
    throw new Error(`node group ${o.name}: need 0 <= minNodes <= maxNodes and maxNodes >= 1, got ${o.minNodes}..${o.maxNodes}`);
  }
  if (o.instanceTypes.length === 0) throw new Error(`node group ${o.name}: instanceTypes is empty`);
  // Security groups in a launch template replace the cluster security group EKS would attach: keep it first.
  const securityGroupIds = o.securityGroups.length > 0
    ? [o.cluster.clusterSecurityGroupId, ...o.securityGroups.map((sg) => sg.securityGroupId)]
    : undefined;
  const launchTemplate = new ec2.CfnLaunchTemplate(scope, 'LaunchTemplate', {
    launchTemplateData: {
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: blockDevices(o.amiType, o.diskGiB, o.encryptionKey),
      ...(securityGroupIds ? { securityGroupIds } : {}),
    },
  });
  const nodegroup = new eks.CfnNodegroup(scope, 'Nodegroup', {
    clusterName: o.cluster.clusterName,
    nodegroupName: o.name,
    nodeRole: o.nodeRole.roleArn,
    subnets: o.subnets.map((s) => s.subnetId),
    amiType: o.amiType,
    releaseVersion: o.releaseVersion,
    capacityType: o.capacityType,
    instanceTypes: [...o.instanceTypes],
    scalingConfig: { minSize: o.minNodes, maxSize: o.maxNodes, desiredSize: o.minNodes },
    updateConfig: { maxUnavailable: 1 },
    ...(Object.keys(o.labels).length > 0 ? { labels: { ...o.labels } } : {}),
    ...(o.taints.length > 0 ? { taints: o.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECT[t.effect] })) } : {}),
    launchTemplate: { id: launchTemplate.ref, version: launchTemplate.attrLatestVersionNumber },
  });
  return { launchTemplate, nodegroup };
}

/** Properties of a {@link GpuNodePool}. */
export interface GpuNodePoolProps {
  /** Cluster the nodes join. */
  readonly cluster: eks.ICluster;
  /** Pool name; also the node group name. */
  readonly name: string;
  /** Subnets of the nodes (the boundary's models subnets). */
  readonly subnets: ec2.ISubnet[];
  /** GPU instance types, all with the same GPU count, e.g. `['g6.2xlarge']`. */
  readonly instanceTypes: readonly string[];
  /** Minimum (and initial) node count. */
  readonly minNodes: number;
  /** Maximum node count. */
  readonly maxNodes: number;
  /**
   * Capacity type.
   * @default 'on-demand'
   */
  readonly capacityType?: 'on-demand' | 'spot';
  /** Size of the volume holding images, weights cache and ephemeral storage, in GiB. */
  readonly diskGiB: number;
  /** Labels every node carries (the pool label the model runtimes select). */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints every node carries (the GPU taint the model runtimes tolerate). */
  readonly taints: readonly NodeTaint[];
  /**
   * NVIDIA AMI type. AL2023 NVIDIA needs the NVIDIA device plugin installed separately, or `nvidia.com/gpu` is
   * never advertised.
   * @default 'BOTTLEROCKET_x86_64_NVIDIA'
   */
  readonly amiType?: GpuAmiType;
  /**
   * AMI release version to pin.
   * @default - the latest release for the cluster's Kubernetes version when the group is created
   */
  readonly releaseVersion?: string;
  /** Key encrypting every EBS volume of the nodes. */
  readonly encryptionKey: kms.IKey;
  /**
   * Node role (share one between pools and Karpenter).
   * @default - a role with NODE_ROLE_MANAGED_POLICIES, named `nodeRoleName`
   */
  readonly nodeRole?: iam.IRole;
  /**
   * Name of the node role created when `nodeRole` is not given.
   * @default - generated by CloudFormation
   */
  readonly nodeRoleName?: string;
  /**
   * Name of an instance profile to create for the node role (Karpenter launches nodes with it).
   * @default - no instance profile
   */
  readonly instanceProfileName?: string;
  /**
   * Extra security groups of the nodes, next to the cluster security group.
   * @default - only the cluster security group
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * A GPU node pool as an EKS managed node group (native `AWS::EKS::Nodegroup`, no custom resource): NVIDIA AMI type
 * set explicitly, the pool's labels and taints exactly as given, hardened launch template (IMDSv2, hop limit 1,
 * encrypted gp3 volumes with the boundary key, no SSH, no remote access).
 */
export class GpuNodePool extends Construct {
  /** The managed node group. */
  public readonly nodegroup: eks.CfnNodegroup;
  /** Node group name. */
  public readonly nodegroupName: string;
  /** The launch template of the nodes. */
  public readonly launchTemplate: ec2.CfnLaunchTemplate;
  /** Node role (given or created). */
  public readonly nodeRole: iam.IRole;
  /** Instance profile of the node role, when `instanceProfileName` is set. */
  public readonly instanceProfile?: iam.CfnInstanceProfile;

  constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    super(scope, id);
    this.nodeRole = props.nodeRole ?? createNodeRole(this, 'NodeRole', props.nodeRoleName);
    if (props.instanceProfileName) {
      this.instanceProfile = new iam.CfnInstanceProfile(this, 'InstanceProfile', {
        instanceProfileName: props.instanceProfileName,
        roles: [this.nodeRole.roleName],
      });
    }
    const built = createHardenedNodegroup(this, {
      cluster: props.cluster,
      name: props.name,
      subnets: props.subnets,
      instanceTypes: props.instanceTypes,
      minNodes: props.minNodes,
      maxNodes: props.maxNodes,
      capacityType: props.capacityType === 'spot' ? 'SPOT' : 'ON_DEMAND',
      diskGiB: props.diskGiB,
      labels: props.labels,
      taints: props.taints,
      amiType: props.amiType ?? 'BOTTLEROCKET_x86_64_NVIDIA',
      releaseVersion: props.releaseVersion,
      encryptionKey: props.encryptionKey,
      nodeRole: this.nodeRole,
      securityGroups: props.securityGroups ?? [],
    });
    this.launchTemplate = built.launchTemplate;
    this.nodegroup = built.nodegroup;
    this.nodegroupName = props.name;
  }
}
