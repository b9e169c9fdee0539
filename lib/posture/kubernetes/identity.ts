/** Reads identity grants from RBAC: every (Cluster)RoleBinding subject, with the rules of the role it binds. */
import { ordinal, type K8sObject } from '../../k8s/k8s-object';
import { expiryInstant, sortEvidence, sortStatements, uniqueSorted } from '../normalize';
import type { IamStatement, IdentityGrant } from '../types';
import { refOf } from './manifests';
import { ANNOTATION as A } from '../../plan/names';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are read as data of many shapes */

/** RBAC rules of a role as statements: verbs as actions, `<group>/<resource>[/<name>]` (core group: `core`) as resources. */
function rbacStatements(role: K8sObject | undefined): IamStatement[] | undefined {
  if (!role) return undefined;
  return sortStatements(((role as any).rules ?? []).map((r: any): IamStatement => ({
    effect: 'Allow',
    actions: r.verbs ?? [],
    resources: [
      ...(r.resources ?? []).flatMap((res: string) => (r.apiGroups ?? ['']).flatMap((g: string) => {
        const base = `${g === '' ? 'core' : g}/${res}`;
        return r.resourceNames?.length ? r.resourceNames.map((n: string) => `${base}/${n}`) : [base];
      })),
      ...(r.nonResourceURLs ?? []),
    ],
    conditions: [],
  })));
}

/**
 * Every (Cluster)RoleBinding subject as a grant. Bindings of one subject that share a name and a role (a grant bound
 * in each boundary namespace) are one grant whose scope lists the namespaces. Kubernetes cannot expire a binding or
 * check MFA: expiry and MFA come from the binding's annotations (enforced by the IAM side, README "Known limits").
 */
export function bindingGrants(objects: readonly K8sObject[], index: ReadonlyMap<string, K8sObject>): IdentityGrant[] {
  interface Group { principal: IdentityGrant['principal']; bindingKind: string; binding: string; roleKind: string; role: string; bindings: K8sObject[] }
  const groups = new Map<string, Group>();
  for (const b of objects) {
    if (b.kind !== 'RoleBinding' && b.kind !== 'ClusterRoleBinding') continue;
    const roleRef = (b as any).roleRef ?? {};
    for (const s of (b as any).subjects ?? []) {
      const kind: IdentityGrant['principal']['kind'] = s.kind === 'Group' ? 'group' : s.kind === 'User' ? 'user' : 'service-account';
      const name = kind === 'service-account' ? `${s.namespace ?? b.metadata.namespace ?? 'default'}/${s.name}` : s.name;
      const id = [kind, name, b.kind, b.metadata.name, roleRef.kind, roleRef.name].join('\u0000');
      const g: Group = groups.get(id) ?? { principal: { kind, name }, bindingKind: b.kind, binding: b.metadata.name, roleKind: roleRef.kind, role: roleRef.name, bindings: [] };
      g.bindings.push(b);
      groups.set(id, g);
    }
  }
  const keyOf = (g: Group): string => `identity/kubernetes/${g.principal.kind}/${g.principal.name}/${g.binding}`;
  const keyCount = new Map<string, number>();
  for (const g of groups.values()) keyCount.set(keyOf(g), (keyCount.get(keyOf(g)) ?? 0) + 1);
  return [...groups.values()].map((g): IdentityGrant => {
    const roles = g.bindings.map((b) => (g.roleKind === 'ClusterRole' ? index.get(`ClusterRole/${g.role}`) : index.get(`Role/${b.metadata.namespace}/${g.role}`)));
    const statements = roles.flatMap((r) => rbacStatements(r) ?? []);
    const expiries = g.bindings.map((b) => b.metadata.annotations?.[A.expires]).filter((e): e is string => e !== undefined).map(expiryInstant).sort(ordinal);
    const mfa = g.bindings.map((b) => b.metadata.annotations?.[A.requiresMfa]).filter((m): m is string => m !== undefined);
    const reasons = uniqueSorted(g.bindings.map((b) => b.metadata.annotations?.[A.reason]).filter((r): r is string => r !== undefined && r.trim() !== ''));
    const key = keyOf(g);
    return {
      key: (keyCount.get(key) ?? 0) > 1 ? `${key}/${g.bindingKind}/${g.roleKind}:${g.role}` : key,
      evidence: sortEvidence([...g.bindings.map(refOf), ...roles.filter((r): r is K8sObject => r !== undefined).map(refOf)]),
      layer: 'kubernetes',
      principal: g.principal,
      level: g.role,
      scope: g.bindingKind === 'ClusterRoleBinding' ? 'cluster' : uniqueSorted(g.bindings.map((b) => b.metadata.namespace ?? 'default')),
      ...(mfa.length > 0 ? { mfa: mfa.every((m) => m === 'true') } : {}),
      ...(expiries.length > 0 ? { expires: expiries[0] } : {}),
      ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
      ...(statements.length > 0 ? { permissions: sortStatements(statements) } : {}),
    };
  });
}
