// The CloudFormation target's constructs, importable on their own: `import { BoundaryNetwork } from 'private-ai-boundary/aws'`.
// Each construct takes explicit props (no plan); PrivateAiBoundary composes them from a validated Boundary's plan.
export { AuditLogArchive, type AuditLogArchiveProps, LEGAL_HOLD_TAG } from './audit-log-archive';
export { BoundaryCluster, type BoundaryClusterProps, type ClusterOidcProps, type AccessEntryOptions, type AccessPolicyGrant } from './boundary-cluster';
export { BoundaryKey, type BoundaryKeyProps } from './boundary-key';
export { BoundaryNetwork, type BoundaryNetworkProps, type BoundarySubnet, type BoundaryFlowLogsProps, type ZonePath, type SubnetZone, type SecurityGroupZone } from './boundary-network';
export { BreakGlassRole, type BreakGlassRoleProps } from './break-glass-role';
export { SUPPORTED_KUBERNETES_VERSIONS, EKS_ADDON_VERSIONS, type KubernetesMinor, type EksAddonName } from './eks-addons';
export { GatewayState, type GatewayStateProps, type SharedCountersProps } from './gateway-state';
export { GatewayWebAcl, type GatewayWebAclProps, API_KEY_HEADERS, MANAGED_RULE_GROUPS } from './gateway-web-acl';
export { KarpenterController, type KarpenterControllerProps, INTERRUPTION_EVENTS } from './karpenter-controller';
export { LoadBalancerControllerIdentity, type LoadBalancerControllerIdentityProps, LBC_CLUSTER_TAG } from './load-balancer-controller';
export { GpuNodePool, type GpuNodePoolProps, type GpuAmiType, type NodeAmiType, type NodeTaint } from './gpu-node-pool';
export { ModelStore, type ModelStoreProps } from './model-store';
export { PrivateAiBoundary, type PrivateAiBoundaryProps } from './private-ai-boundary';
export { SecretsStore, type SecretsStoreProps, type StoredSecretProps, type SecretRotation, type SecretValueSource } from './secrets-store';
export { SystemNodeGroup, type SystemNodeGroupProps } from './system-node-group';
export { TimeBoundGrant, type TimeBoundGrantProps } from './time-bound-grant';
export { WebIdentityRole, type WebIdentityRoleProps } from './web-identity-role';
export { WorkloadIdentity, type WorkloadIdentityProps } from './workload-identity';
export { BoundaryStack, type BoundaryStackProps } from '../../stacks/boundary-stack';
// The checks `pab synth` runs, for your own app: cdk-nag AwsSolutions + NIST 800-53 R5 (and APP_CONTEXT turns on the built-in validator).
export { addCompliancePacks, APP_CONTEXT } from '../../stacks/synth';
