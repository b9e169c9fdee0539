import * as kplus from 'cdk8s-plus-28';
import { NON_ROOT_UID } from '../plan/hardening';

/**
 * The Pod Security "restricted" baseline every container of the boundary meets, set explicitly because
 * cdk8s-plus-28 defaults miss seccomp and drop-ALL (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted).
 * The uid is a plan constant: this file only maps it onto security contexts.
 */

/** Non-root uid/gid all boundary workloads run as (re-exported from the plan, where it is decided). */
export { NON_ROOT_UID };

/** Container security context for Pod Security "restricted", read-only root filesystem. */
export function restrictedContainerSecurity(uid: number = NON_ROOT_UID): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: uid,
    group: uid,
    privileged: false,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

/** Pod security context for Pod Security "restricted". */
export function restrictedPodSecurity(uid: number = NON_ROOT_UID): kplus.PodSecurityContextProps {
  return { ensureNonRoot: true, user: uid, group: uid, fsGroup: uid, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH };
}

/** Namespace labels that enforce, audit and warn on Pod Security "restricted", pinned to the cluster version. */
export function podSecurityLabels(kubernetesVersion: string): Record<string, string> {
  const version = `v${kubernetesVersion}`;
  return {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': version,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': version,
  };
}
