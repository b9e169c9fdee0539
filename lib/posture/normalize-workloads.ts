import type { K8sObject } from '../k8s/k8s-object';

/* eslint-disable @typescript-eslint/no-explicit-any -- pod specs are read as data of many shapes */

/** A pod template and the object that owns it. */
export interface PodTemplate {
  /** The Deployment, Job, StatefulSet, DaemonSet, ReplicaSet, CronJob or Pod. */
  readonly owner: K8sObject;
  /** Its pod spec. */
  readonly pod: Record<string, any>;
}

/** Every pod template of the objects (workload kinds of apps/v1 and batch/v1, and bare Pods). */
export function podTemplates(objects: readonly K8sObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects) {
    const spec = o.spec as Record<string, any> | undefined;
    let pod: Record<string, any> | undefined;
    switch (o.kind) {
      case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
        pod = spec?.template?.spec;
        break;
      case 'CronJob':
        pod = spec?.jobTemplate?.spec?.template?.spec;
        break;
      case 'Pod':
        pod = spec;
        break;
      default:
        break;
    }
    if (pod) out.push({ owner: o, pod });
  }
  return out;
}

/** Every container of a pod (init and ephemeral containers included). */
export function containersOf(pod: Record<string, any>): Record<string, any>[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])];
}

/** The service account a pod runs as (`default` when unset), as a Kubernetes user name. */
export function serviceAccountUser(namespace: string, pod: Record<string, any>): string {
  return `system:serviceaccount:${namespace}:${pod.serviceAccountName ?? pod.serviceAccount ?? 'default'}`;
}

/**
 * Names of the Secrets a pod's containers read: env `secretKeyRef`, `envFrom.secretRef`, secret and projected
 * volumes (image pull secrets are read by the kubelet, not by the workload).
 */
export function secretsReadBy(pod: Record<string, any>): string[] {
  const names = new Set<string>();
  for (const c of containersOf(pod)) {
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef?.name) names.add(e.valueFrom.secretKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.secretRef?.name) names.add(e.secretRef.name);
  }
  for (const v of pod.volumes ?? []) {
    if (v.secret?.secretName) names.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) if (s.secret?.name) names.add(s.secret.name);
  }
  return [...names];
}

/** Names of the ConfigMaps a pod mounts or reads. */
export function configMapsReadBy(pod: Record<string, any>): string[] {
  const names = new Set<string>();
  for (const c of containersOf(pod)) {
    for (const e of c.env ?? []) if (e.valueFrom?.configMapKeyRef?.name) names.add(e.valueFrom.configMapKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.configMapRef?.name) names.add(e.configMapRef.name);
  }
  for (const v of pod.volumes ?? []) {
    if (v.configMap?.name) names.add(v.configMap.name);
    for (const s of v.projected?.sources ?? []) if (s.configMap?.name) names.add(s.configMap.name);
  }
  return [...names];
}

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/**
 * How a pod's containers deviate from the boundary's container baseline (README "Security baseline", the Pod
 * Security "restricted" profile plus the house rules): non-root with a non-zero uid, read-only root filesystem, no
 * privilege escalation, `capabilities.drop: [ALL]` (only NET_BIND_SERVICE may be added), seccomp `RuntimeDefault`
 * (or `Localhost`), not privileged, no host ports, CPU and memory requests and limits, image pinned by digest; and for
 * the pod: no host namespaces or host paths, no service-account token. Each as `<kind>/<name>/<container>: <what>`
 * (`<kind>/<name>: <what>` for the pod), sorted by the caller.
 */
export function baselineDeviations(t: PodTemplate): string[] {
  const { owner, pod } = t;
  const where = `${owner.kind}/${owner.metadata.name}`;
  const out: string[] = [];
  const psc = pod.securityContext ?? {};
  if (pod.hostNetwork === true) out.push(`${where}: hostNetwork`);
  if (pod.hostPID === true) out.push(`${where}: hostPID`);
  if (pod.hostIPC === true) out.push(`${where}: hostIPC`);
  for (const v of pod.volumes ?? []) if (v.hostPath) out.push(`${where}: hostPath volume ${v.name}`);
  if (pod.automountServiceAccountToken !== false) out.push(`${where}: service-account token mounted (automountServiceAccountToken not false)`);
  for (const c of containersOf(pod)) {
    const at = `${where}/${c.name}`;
    const sc = c.securityContext ?? {};
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) out.push(`${at}: runAsNonRoot not true`);
    const uid = sc.runAsUser ?? psc.runAsUser;
    if (typeof uid !== 'number' || uid <= 0) out.push(`${at}: runAsUser not a non-zero uid`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${at}: root filesystem writable`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${at}: allowPrivilegeEscalation not false`);
    if (sc.privileged === true) out.push(`${at}: privileged`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${at}: capabilities not dropped (drop ALL)`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${at}: adds capability ${cap}`);
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${at}: seccompProfile not RuntimeDefault`);
    for (const p of c.ports ?? []) if (p.hostPort !== undefined && p.hostPort !== 0) out.push(`${at}: hostPort ${p.hostPort}`);
    for (const r of ['requests', 'limits']) {
      for (const res of ['cpu', 'memory']) if (c.resources?.[r]?.[res] === undefined) out.push(`${at}: no ${res} ${r === 'requests' ? 'request' : 'limit'}`);
    }
    if (typeof c.image !== 'string' || !DIGEST.test(c.image)) out.push(`${at}: image not pinned by digest`);
  }
  return out;
}
