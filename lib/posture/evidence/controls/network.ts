import { ordinal } from '../../../k8s/k8s-object';
import type { NetworkRule, Posture } from '../../types';
import { boundaryNamespaces, defaultDenyOf, namespaceOf } from '../boundary-namespaces';
import { controlRow } from '../control-row';
import { describePath, describePeer, fromTemplate, mergeEvidence, plural, uniqueSorted } from '../describe';
import type { ControlRow, RecordedException } from '../types';

/** The rule of the network-isolation control (docs/EVIDENCE.md). */
export const NETWORK_RULE =
  'Met when every boundary namespace has a default-deny for ingress and for egress, and every rule that admits the internet records its purpose.';

/** Network isolation: default-deny per boundary namespace, allowed paths only, public exposure with its purpose. */
export function networkControl(posture: Posture): ControlRow {
  const namespaces = boundaryNamespaces(posture);
  const allows = posture.network.filter((r) => r.mechanism !== 'default-deny' && r.peers.length > 0);
  const publicRules = allows.filter((r) => r.public);
  const failures: string[] = [];
  const customerDecides: string[] = [];
  const provides: string[] = [];
  const customerOwns: string[] = [];
  const exceptions: RecordedException[] = [];

  if (namespaces.length === 0) failures.push('the posture records no boundary namespace (no hardening entry, no rule subject in a `<boundary>-` namespace)');
  const isolated: string[] = [];
  for (const ns of namespaces) {
    const missing = (['ingress', 'egress'] as const).filter((d) => !defaultDenyOf(posture, ns, d));
    if (missing.length === 0) isolated.push(ns);
    else failures.push(`${ns}: no default-deny for ${missing.join(' or ')}`);
  }
  for (const r of publicRules) {
    if (!r.purpose?.trim()) failures.push(`${r.key}: admits the internet (${describePath(r)}) without a recorded purpose`);
    exceptions.push({ control: 'network', key: r.key, what: `public path: ${describePath(r)}`, ...(r.purpose?.trim() ? { reason: r.purpose.trim() } : {}), evidence: mergeEvidence([r]) });
  }

  if (isolated.length > 0) provides.push(`Default-deny for ingress and egress in ${plural(isolated.length, 'boundary namespace')}: ${isolated.join(', ')}.`);
  const k8s = allows.filter((r) => r.layer === 'kubernetes');
  if (k8s.length > 0) {
    const withPurpose = k8s.filter((r) => r.purpose?.trim()).length;
    provides.push(`${plural(k8s.length, 'Kubernetes rule')} allow only the declared paths, ${withPurpose === k8s.length ? 'each with its purpose recorded' : `${withPurpose} of them with a purpose recorded`}.`);
  }
  const aws = allows.filter((r) => r.layer === 'aws');
  if (aws.length > 0) provides.push(`AWS layer: ${countsByMechanism(aws)}.`);
  provides.push(publicRules.length === 0
    ? 'No rule admits the internet.'
    : `Public exposure: ${publicRules.map((r) => `${describePath(r)}${r.purpose ? ` (${r.purpose})` : ''}`).join('; ')}.`);
  const inward = allows.filter((r) => r.layer === 'kubernetes' && r.direction === 'ingress' && !r.public && inNamespaces(r, namespaces) && r.peers.some((p) => outside(p, namespaces)));
  if (inward.length > 0) provides.push(`Admitted from outside the boundary namespaces: ${inward.map(pathWithPurpose).join('; ')}.`);
  const outward = uniqueSorted(allows.filter((r) => r.direction === 'egress' && r.peers.some((p) => outside(p, namespaces)) && inNamespaces(r, namespaces)).map((r) => r.purpose ?? describePath(r)));
  if (outward.length > 0) provides.push(`Egress leaves the boundary namespaces only for: ${outward.join('; ')}.`);

  const consumerNamespaces = uniqueSorted(inward.flatMap((r) => r.peers.map(namespaceOf).filter((ns): ns is string => ns !== undefined && !namespaces.includes(ns))));
  if (consumerNamespaces.length > 0) customerOwns.push(`The workloads in the consumer namespaces admitted to the boundary: ${consumerNamespaces.join(', ')}.`);
  const controllers = controllerSubjects(posture.network, namespaces);
  if (controllers.length > 0) customerOwns.push(`Running the cluster components outside the boundary namespaces that these rules isolate, under the names they select: ${controllers.join(', ')}.`);
  for (const r of publicRules.filter((x) => !x.evidence.some((e) => e.source === 'cloudformation' && /webacl/i.test(e.ref)))) {
    customerOwns.push(`The web ACL in front of ${describePeer(r.subject)}: no web ACL of the template is among the evidence of ${r.key}, so it is the customer's.`);
  }
  if (!posture.network.some((r) => r.layer === 'aws' || fromTemplate(r))) {
    customerOwns.push('A CNI that enforces NetworkPolicy, and the network outside the cluster (routing, firewalls, the load balancer CIDR consumers reach): no AWS-layer rule is in the artifacts.');
  }
  if (posture.owners.owner) customerOwns.push(`${posture.owners.owner} (boundary owner) approves every allowed path and public exposure.`);

  return controlRow({ id: 'network', rule: NETWORK_RULE, failures, customerDecides, provides, customerOwns, exceptions, evidence: mergeEvidence(posture.network) });
}

function outside(peer: NetworkRule['subject'], namespaces: readonly string[]): boolean {
  const ns = namespaceOf(peer);
  if (ns !== undefined) return !namespaces.includes(ns);
  return peer.kind !== 'pods'; // pods in any namespace ('*') stay inside the cluster
}

function inNamespaces(rule: NetworkRule, namespaces: readonly string[]): boolean {
  const ns = namespaceOf(rule.subject);
  return ns !== undefined && namespaces.includes(ns);
}

function pathWithPurpose(rule: NetworkRule): string {
  return rule.purpose ? `${describePath(rule)} (${rule.purpose})` : describePath(rule);
}

function countsByMechanism(rules: readonly NetworkRule[]): string {
  const counts = new Map<string, number>();
  for (const r of rules) counts.set(r.mechanism, (counts.get(r.mechanism) ?? 0) + 1);
  return [...counts.keys()].sort(ordinal).map((m) => plural(counts.get(m)!, `${m} rule`)).join(', ');
}

/** Subjects of rules in namespaces the boundary does not create (cluster controllers), as `name (namespace)`. */
function controllerSubjects(rules: readonly NetworkRule[], namespaces: readonly string[]): string[] {
  return uniqueSorted(rules.filter((r) => {
    const ns = namespaceOf(r.subject);
    return ns !== undefined && !namespaces.includes(ns);
  }).map((r) => describePeer(r.subject)));
}
