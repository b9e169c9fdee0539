// Public API of private-ai-boundary.
export * from './spec';
export * from './plan';
export { BoundaryChart, type BoundaryChartProps } from '../charts/boundary-chart';
export { synthKubernetesObjects, sortObjects, toYamlStream } from '../charts/synth';
export { ordinal, type K8sObject } from './k8s/k8s-object';
export { BoundaryNamespaces, type BoundaryNamespacesProps } from './k8s/boundary-namespaces';
export { BoundaryNetworkPolicies, type BoundaryNetworkPoliciesProps } from './k8s/network-policies';
export { ExposurePolicy, type ExposurePolicyProps } from './k8s/exposure-policy';
export { BoundarySecrets, type BoundarySecretsProps } from './k8s/external-secrets';
export { GatewayReconcile, type GatewayReconcileProps } from './k8s/gateway-reconcile';
export { GpuNodePool, type GpuNodePoolProps } from './k8s/gpu-node-pool';
export { LlmGateway, type LlmGatewayProps } from './k8s/llm-gateway';
export { ModelRuntime, type ModelRuntimeProps } from './k8s/model-runtime';
export { Presidio, type PresidioProps } from './k8s/presidio';
export { PrivilegedAccess, type PrivilegedAccessProps } from './k8s/privileged-access';
export { TeamAccess, type TeamAccessProps } from './k8s/team-access';
export { renderTarget, TARGETS, IMPLEMENTED_TARGETS, type Target, type TargetArtifact } from './synth/targets';
export { main as runCli } from './cli/main';
