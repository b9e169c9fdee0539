import { ordinal, type K8sObject } from '../k8s/k8s-object';

/** Identity of an object in one boundary: `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function objectKey(o: Pick<K8sObject, 'kind' | 'metadata'>): string {
  return o.metadata.namespace === undefined ? `${o.kind}/${o.metadata.name}` : `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
}

/** Kinds whose objects run pods. */
const POD_OWNERS = ['Deployment', 'Job'];

/**
 * What each object must wait for, as `objectKey`s, derived from the objects alone (the same set `kubectl apply` gets
 * in apply order). `kubectl apply -f` orders by kind; Pulumi creates in parallel, so the order that matters is
 * spelled out as `dependsOn`:
 *
 * 1. every namespaced object waits for its Namespace (when the boundary creates it);
 * 2. an object waits for the CRD-backed or admission object it names: ExternalSecret → its SecretStore,
 *    NodePool → its EC2NodeClass, ValidatingAdmissionPolicyBinding → its ValidatingAdmissionPolicy,
 *    RoleBinding → its Role;
 * 3. a pod owner (Deployment, Job) waits for its ServiceAccount, the ConfigMaps it mounts, the ExternalSecrets that
 *    write the Secrets it reads, and every NetworkPolicy of its namespace — so default-deny and the declared paths
 *    are in force before any pod of the boundary runs.
 *
 * A reference to something the boundary does not create (an existing ClusterSecretStore, a weights PVC) adds nothing.
 * Every list is sorted (ordinal): the result is deterministic.
 */
export function dependenciesOf(objects: readonly K8sObject[]): Map<string, string[]> {
  const keys = new Set(objects.map(objectKey));
  const secretWriters = new Map<string, string>();
  const policiesByNamespace = new Map<string, string[]>();
  for (const o of objects) {
    if (o.kind === 'ExternalSecret') {
      const target = (o.spec as { target?: { name?: string } } | undefined)?.target?.name ?? o.metadata.name;
      secretWriters.set(`${o.metadata.namespace}/${target}`, objectKey(o));
    }
    if (o.kind === 'NetworkPolicy' && o.metadata.namespace !== undefined) {
      policiesByNamespace.set(o.metadata.namespace, [...(policiesByNamespace.get(o.metadata.namespace) ?? []), objectKey(o)]);
    }
  }

  const result = new Map<string, string[]>();
  for (const o of objects) {
    const ns = o.metadata.namespace;
    const deps = new Set<string>();
    const add = (key: string | undefined): void => {
      if (key !== undefined && keys.has(key) && key !== objectKey(o)) deps.add(key);
    };
    if (ns !== undefined) add(`Namespace/${ns}`);
    for (const ref of namedReferences(o)) add(ref);
    if (POD_OWNERS.includes(o.kind) && ns !== undefined) {
      const pod = podSpecOf(o);
      if (pod.serviceAccountName) add(`ServiceAccount/${ns}/${pod.serviceAccountName}`);
      for (const cm of configMapsOf(pod)) add(`ConfigMap/${ns}/${cm}`);
      for (const secret of secretsOf(pod)) add(secretWriters.get(`${ns}/${secret}`));
      for (const policy of policiesByNamespace.get(ns) ?? []) add(policy);
    }
    result.set(objectKey(o), [...deps].sort(ordinal));
  }
  return result;
}

/** Keys of the objects `o` names in its spec (rule 2). */
function namedReferences(o: K8sObject): string[] {
  const spec = (o.spec ?? {}) as SpecRefs;
  const ns = o.metadata.namespace;
  switch (o.kind) {
    case 'ExternalSecret':
      return spec.secretStoreRef?.kind === 'SecretStore' ? [`SecretStore/${ns}/${spec.secretStoreRef.name}`] : [];
    case 'NodePool': {
      const ref = spec.template?.spec?.nodeClassRef;
      return ref?.kind === 'EC2NodeClass' ? [`EC2NodeClass/${ref.name}`] : [];
    }
    case 'ValidatingAdmissionPolicyBinding':
      return spec.policyName ? [`ValidatingAdmissionPolicy/${spec.policyName}`] : [];
    case 'RoleBinding': {
      const ref = (o as { roleRef?: Ref }).roleRef;
      return ref?.kind === 'Role' ? [`Role/${ns}/${ref.name}`] : [];
    }
    default:
      return [];
  }
}

interface Ref {
  kind?: string;
  name?: string;
}

/** The fields of a spec that name another object. */
interface SpecRefs {
  secretStoreRef?: Ref;
  template?: { spec?: { nodeClassRef?: Ref } };
  policyName?: string;
}

interface PodSpecRefs {
  serviceAccountName?: string;
  volumes?: { configMap?: { name?: string }; secret?: { secretName?: string }; projected?: { sources?: { configMap?: { name?: string }; secret?: { name?: string } }[] } }[];
  containers?: ContainerRefs[];
  initContainers?: ContainerRefs[];
}

interface ContainerRefs {
  env?: { valueFrom?: { secretKeyRef?: { name?: string }; configMapKeyRef?: { name?: string } } }[];
  envFrom?: { secretRef?: { name?: string }; configMapRef?: { name?: string } }[];
}

function podSpecOf(o: K8sObject): PodSpecRefs {
  return ((o.spec as { template?: { spec?: PodSpecRefs } } | undefined)?.template?.spec) ?? {};
}

function containersOf(pod: PodSpecRefs): ContainerRefs[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}

function configMapsOf(pod: PodSpecRefs): string[] {
  return [
    ...(pod.volumes ?? []).flatMap((v) => [v.configMap?.name, ...(v.projected?.sources ?? []).map((s) => s.configMap?.name)]),
    ...containersOf(pod).flatMap((c) => [
      ...(c.env ?? []).map((e) => e.valueFrom?.configMapKeyRef?.name),
      ...(c.envFrom ?? []).map((e) => e.configMapRef?.name),
    ]),
  ].filter((n): n is string => n !== undefined);
}

function secretsOf(pod: PodSpecRefs): string[] {
  return [
    ...(pod.volumes ?? []).flatMap((v) => [v.secret?.secretName, ...(v.projected?.sources ?? []).map((s) => s.secret?.name)]),
    ...containersOf(pod).flatMap((c) => [
      ...(c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name),
      ...(c.envFrom ?? []).map((e) => e.secretRef?.name),
    ]),
  ].filter((n): n is string => n !== undefined);
}
