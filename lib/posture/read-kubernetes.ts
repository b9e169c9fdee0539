/** Reads the posture of Kubernetes objects: composes the readers in kubernetes/ (one concept per file). */
import type { K8sObject } from '../k8s/k8s-object';
import { emptyFragment, mergeSecrets, type PostureFragment } from './normalize';
import { gatewayPosture } from './kubernetes/gateway';
import { hardening, nodeClassEncryption } from './kubernetes/hardening';
import { bindingGrants } from './kubernetes/identity';
import { parseKubernetesManifests, refOf } from './kubernetes/manifests';
import { ingressRules, networkPolicyRules, serviceRules } from './kubernetes/network';
import { externalSecrets } from './kubernetes/secrets';
import { ANNOTATION as A } from '../plan/names';

export { ManifestReadError, parseKubernetesManifests } from './kubernetes/manifests';

/**
 * Reads the posture of Kubernetes objects (from the Kubernetes target, or the Pulumi target's resource inputs):
 * NetworkPolicies, exposure (LoadBalancer / NodePort Services, Ingresses), RBAC bindings, ExternalSecrets, the
 * gateway's LiteLLM config and team desired state, Pod Security labels and container hardening, Karpenter node
 * classes' volumes, and the owners the namespaces and secrets record. Evidence cites `<kind>/<namespace>/<name>`.
 */
export function readKubernetesObjects(objects: readonly K8sObject[]): PostureFragment {
  const f = emptyFragment();
  const index = new Map(objects.map((o) => [refOf(o).ref, o]));
  for (const o of objects) {
    if (o.kind === 'NetworkPolicy') f.network.push(...networkPolicyRules(o));
    if (o.kind === 'Service') f.network.push(...serviceRules(o));
    if (o.kind === 'Ingress') f.network.push(...ingressRules(o, index));
    if (o.kind === 'EC2NodeClass') f.encryption.push(...nodeClassEncryption(o));
    if (o.kind === 'Namespace') {
      const annotations = o.metadata.annotations ?? {};
      if (annotations[A.customer]) f.owners.customer.push(annotations[A.customer]);
      if (annotations[A.owner]) f.owners.owner.push(annotations[A.owner]);
    }
  }
  f.identity.push(...bindingGrants(objects, index));
  const secrets = externalSecrets(objects, index);
  f.secrets.push(...mergeSecrets(secrets.entries));
  f.owners.secretOwners.push(...secrets.owners);
  const gateway = gatewayPosture(objects, index);
  f.modelAccess.push(...gateway.modelAccess);
  f.redaction.push(...gateway.redaction);
  f.hardening.push(...hardening(objects));
  return f;
}

/** Parses a manifests file and reads its posture. */
export function readKubernetesManifests(text: string, file: string): PostureFragment {
  return readKubernetesObjects(parseKubernetesManifests(text, file));
}
