import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import type { K8sObject } from '../k8s/k8s-object';

/** A typed @pulumi/kubernetes resource class (every one takes `(name, args, opts)`). */
type KubernetesClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The typed @pulumi/kubernetes class of every built-in kind the Kubernetes target emits, keyed by `apiVersion/kind`.
 * Each class registers the type token `kubernetes:<apiVersion>:<kind>`, the same token `pulumi import` and the
 * provider use, so a typed resource and the object it was built from are one thing. A kind missing here is an
 * internal error (a new kind in the chart needs its class added), never a silent fallback.
 */
export const KUBERNETES_CLASSES: Readonly<Record<string, KubernetesClass>> = {
  'v1/Namespace': k8s.core.v1.Namespace,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Secret': k8s.core.v1.Secret,
  'v1/Service': k8s.core.v1.Service,
  'v1/LimitRange': k8s.core.v1.LimitRange,
  'v1/ResourceQuota': k8s.core.v1.ResourceQuota,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': k8s.admissionregistration.v1.ValidatingAdmissionPolicy,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding,
  'rbac.authorization.k8s.io/v1/ClusterRole': k8s.rbac.v1.ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': k8s.rbac.v1.ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': k8s.rbac.v1.Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': k8s.rbac.v1.RoleBinding,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
  'networking.k8s.io/v1/Ingress': k8s.networking.v1.Ingress,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'batch/v1/Job': k8s.batch.v1.Job,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
};

/**
 * API groups served by CustomResourceDefinitions the boundary relies on (External Secrets Operator, Karpenter v1):
 * their objects are registered as `apiextensions.CustomResource`, which passes every field through.
 */
export const CRD_GROUPS: readonly string[] = ['external-secrets.io', 'karpenter.sh', 'karpenter.k8s.aws'];

/** Whether an object's kind is served by a CustomResourceDefinition (see `CRD_GROUPS`). */
export function isCustomResource(object: Pick<K8sObject, 'apiVersion'>): boolean {
  return CRD_GROUPS.includes(groupOf(object.apiVersion));
}

/**
 * The class an object is registered with: the typed @pulumi/kubernetes class of its kind, or
 * `apiextensions.CustomResource` for a CRD-backed kind. Throws on an object that must not be registered (a Secret
 * with data, an object without `metadata.name`) or a kind without a class — before anything is registered.
 */
export function resourceClassOf(object: K8sObject): KubernetesClass {
  if (!object.metadata?.name) throw new Error(`internal: ${object.kind} without metadata.name would be auto-named by the provider`);
  assertNoSecretData(object);
  if (isCustomResource(object)) return k8s.apiextensions.CustomResource as unknown as KubernetesClass;
  const cls = KUBERNETES_CLASSES[`${object.apiVersion}/${object.kind}`];
  if (!cls) throw new Error(`internal: no @pulumi/kubernetes class for ${object.apiVersion} ${object.kind} — add it to KUBERNETES_CLASSES`);
  return cls;
}

/**
 * Registers one Kubernetes object as the resource of its class (`resourceClassOf`), with the object itself as its
 * arguments: no field is added, renamed or defaulted here. `metadata.name` is always set by the chart, so the
 * provider never auto-names (no random suffix): the deployed object is the object cdk8s produced.
 */
export function kubernetesResource(name: string, object: K8sObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const cls = resourceClassOf(object);
  return new cls(name, object as never, opts);
}

/**
 * A boundary never puts a secret value in a Kubernetes object: Secrets are written by External Secrets from the
 * store. A `Secret` with `data` or `stringData` is refused before anything is registered (it would also put the
 * value into the Pulumi state).
 */
export function assertNoSecretData(object: K8sObject): void {
  if (object.apiVersion !== 'v1' || object.kind !== 'Secret') return;
  const fields = ['data', 'stringData'].filter((f) => object[f] !== undefined);
  if (fields.length > 0) {
    throw new Error(`internal: Secret ${object.metadata.namespace ?? ''}/${object.metadata.name} carries ${fields.join(' and ')} — a boundary references secrets through External Secrets only`);
  }
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
