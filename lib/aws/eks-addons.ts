/**
 * Pinned Amazon EKS add-on versions per Kubernetes minor, and the `vpc-cni` configuration that turns on
 * NetworkPolicy enforcement. Plain data (no aws-cdk-lib import) so a test or the evidence report can read it.
 *
 * Versions were read in 2026-11 from one consistent snapshot of `aws eks describe-addon-versions` defaults and the
 * EKS user guide tables (no AWS API is reachable from this project's machines, so a bump is a reviewed code change):
 * - kube-proxy: https://docs.amazonaws.cn/zh_cn/eks/latest/userguide/managing-kube-proxy.md ("kube-proxy versions":
 *   1.34 v1.34.6-eksbuild.2 … 1.30 v1.30.14-eksbuild.28), the same values as below.
 * - coredns: https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html (1.33–1.34 on CoreDNS 1.12/1.13,
 *   1.30–1.32 on 1.11.4); builds v1.13.2-eksbuild.4 / v1.11.4-eksbuild.33 as deployed ACTIVE in public EKS configs.
 * - vpc-cni: https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html (one CNI build serves every
 *   supported minor); v1.21.1-eksbuild.7 as deployed ACTIVE on 1.30–1.35 clusters in public EKS configs.
 * - eks-pod-identity-agent: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html;
 *   v1.3.10-eksbuild.3 as deployed ACTIVE (same build for every minor).
 * Check a new row with `aws eks describe-addon-versions --kubernetes-version <minor> --addon-name <name>`.
 */

/** Kubernetes minors the boundary supports (one row of pinned add-ons each). */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.30', '1.31', '1.32', '1.33', '1.34'] as const;

/** A supported Kubernetes minor, e.g. `'1.33'`. */
export type KubernetesMinor = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

/** EKS add-ons every boundary cluster runs, by their EKS add-on name. */
export type EksAddonName = 'vpc-cni' | 'kube-proxy' | 'eks-pod-identity-agent' | 'coredns';

/** Install order: networking and credentials before compute, CoreDNS (a Deployment, needs nodes) after. */
export const EKS_ADDON_NAMES: readonly EksAddonName[] = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'coredns'];

const VPC_CNI = 'v1.21.1-eksbuild.7';
const POD_IDENTITY_AGENT = 'v1.3.10-eksbuild.3';

/** Pinned `AddonVersion` of every add-on, per Kubernetes minor. */
export const EKS_ADDON_VERSIONS: Readonly<Record<KubernetesMinor, Readonly<Record<EksAddonName, string>>>> = {
  '1.30': { 'vpc-cni': VPC_CNI, 'kube-proxy': 'v1.30.14-eksbuild.28', 'eks-pod-identity-agent': POD_IDENTITY_AGENT, coredns: 'v1.11.4-eksbuild.33' },
  '1.31': { 'vpc-cni': VPC_CNI, 'kube-proxy': 'v1.31.14-eksbuild.9', 'eks-pod-identity-agent': POD_IDENTITY_AGENT, coredns: 'v1.11.4-eksbuild.33' },
  '1.32': { 'vpc-cni': VPC_CNI, 'kube-proxy': 'v1.32.13-eksbuild.5', 'eks-pod-identity-agent': POD_IDENTITY_AGENT, coredns: 'v1.11.4-eksbuild.33' },
  '1.33': { 'vpc-cni': VPC_CNI, 'kube-proxy': 'v1.33.10-eksbuild.2', 'eks-pod-identity-agent': POD_IDENTITY_AGENT, coredns: 'v1.13.2-eksbuild.4' },
  '1.34': { 'vpc-cni': VPC_CNI, 'kube-proxy': 'v1.34.6-eksbuild.2', 'eks-pod-identity-agent': POD_IDENTITY_AGENT, coredns: 'v1.13.2-eksbuild.4' },
};

/**
 * `vpc-cni` add-on configuration values. Without `enableNetworkPolicy` the VPC CNI stores NetworkPolicies but
 * does not enforce them; `NETWORK_POLICY_ENFORCING_MODE=strict` starts every pod default-deny until its policies
 * are programmed (standard mode allows all traffic meanwhile); `nodeAgent.enablePolicyEventLogs` writes allow/deny
 * decisions to the node's local log (no CloudWatch permission needed: `enableCloudWatchLogs` stays off).
 * Schema (`aws eks describe-addon-configuration --addon-name vpc-cni`): string-typed booleans, `env` is the
 * `aws-node` container environment. https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 */
export const VPC_CNI_CONFIGURATION = {
  enableNetworkPolicy: 'true',
  nodeAgent: { enablePolicyEventLogs: 'true' },
  env: { NETWORK_POLICY_ENFORCING_MODE: 'strict' },
} as const;

/** Whether `version` is a Kubernetes minor with pinned add-ons. */
export function isSupportedKubernetesVersion(version: string): version is KubernetesMinor {
  return (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(version);
}

/** The pinned add-on versions of a Kubernetes minor; throws for a minor without a row. */
export function addonVersionsFor(version: string): Readonly<Record<EksAddonName, string>> {
  if (!isSupportedKubernetesVersion(version)) {
    throw new Error(`Kubernetes version "${version}" has no pinned EKS add-ons: use one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`);
  }
  return EKS_ADDON_VERSIONS[version];
}
