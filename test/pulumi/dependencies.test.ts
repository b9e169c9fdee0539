import type { K8sObject } from '../../lib/k8s/k8s-object';
import { dependenciesOf, objectKey } from '../../lib/pulumi/dependencies';

const o = (kind: string, name: string, namespace?: string, rest: Record<string, unknown> = {}): K8sObject =>
  ({ apiVersion: 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...rest });

const objects: K8sObject[] = [
  o('Namespace', 'b-gateway'),
  o('ValidatingAdmissionPolicy', 'deny-exposure'),
  o('ValidatingAdmissionPolicyBinding', 'deny-exposure', undefined, { spec: { policyName: 'deny-exposure' } }),
  o('ServiceAccount', 'gw', 'b-gateway'),
  o('Role', 'member', 'b-gateway'),
  o('RoleBinding', 'member', 'b-gateway', { roleRef: { kind: 'Role', name: 'member' } }),
  o('RoleBinding', 'grant', 'b-gateway', { roleRef: { kind: 'ClusterRole', name: 'view' } }),
  o('NetworkPolicy', 'default-deny', 'b-gateway'),
  o('NetworkPolicy', 'allow-dns', 'b-gateway'),
  o('NetworkPolicy', 'coredns', 'kube-system'),
  o('SecretStore', 'store', 'b-gateway'),
  o('ExternalSecret', 'master-key', 'b-gateway', { spec: { secretStoreRef: { kind: 'SecretStore', name: 'store' }, target: { name: 'master-key' } } }),
  o('ExternalSecret', 'shared', 'b-gateway', { spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' } } }),
  o('ConfigMap', 'config', 'b-gateway'),
  o('EC2NodeClass', 'b-l4'),
  o('NodePool', 'b-l4', undefined, { spec: { template: { spec: { nodeClassRef: { kind: 'EC2NodeClass', name: 'b-l4' } } } } }),
  o('Deployment', 'gw', 'b-gateway', { spec: { template: { spec: {
    serviceAccountName: 'gw',
    volumes: [{ name: 'c', configMap: { name: 'config' } }, { name: 'w', persistentVolumeClaim: { claimName: 'weights' } }],
    containers: [{ env: [{ valueFrom: { secretKeyRef: { name: 'master-key' } } }], envFrom: [{ secretRef: { name: 'shared' } }, { secretRef: { name: 'not-ours' } }] }],
  } } } }),
];
const deps = dependenciesOf(objects);

test('keys: Kind/namespace/name, or Kind/name when cluster-scoped', () => {
  expect(objectKey(o('Service', 'gw', 'b-gateway'))).toBe('Service/b-gateway/gw');
  expect(objectKey(o('Namespace', 'b-gateway'))).toBe('Namespace/b-gateway');
});

test('namespaced objects wait for their Namespace, when the boundary creates it', () => {
  expect(deps.get('ServiceAccount/b-gateway/gw')).toEqual(['Namespace/b-gateway']);
  expect(deps.get('NetworkPolicy/kube-system/coredns')).toEqual([]);
  expect(deps.get('Namespace/b-gateway')).toEqual([]);
});

test('objects wait for the CRD-backed or admission object they name', () => {
  expect(deps.get('ExternalSecret/b-gateway/master-key')).toEqual(['Namespace/b-gateway', 'SecretStore/b-gateway/store']);
  expect(deps.get('ExternalSecret/b-gateway/shared')).toEqual(['Namespace/b-gateway']); // an existing ClusterSecretStore
  expect(deps.get('NodePool/b-l4')).toEqual(['EC2NodeClass/b-l4']);
  expect(deps.get('ValidatingAdmissionPolicyBinding/deny-exposure')).toEqual(['ValidatingAdmissionPolicy/deny-exposure']);
  expect(deps.get('RoleBinding/b-gateway/member')).toEqual(['Namespace/b-gateway', 'Role/b-gateway/member']);
  expect(deps.get('RoleBinding/b-gateway/grant')).toEqual(['Namespace/b-gateway']);
});

test('pods wait for their service account, config, the ExternalSecrets writing their Secrets, and every policy of their namespace', () => {
  expect(deps.get('Deployment/b-gateway/gw')).toEqual([
    'ConfigMap/b-gateway/config', 'ExternalSecret/b-gateway/master-key', 'ExternalSecret/b-gateway/shared', 'Namespace/b-gateway',
    'NetworkPolicy/b-gateway/allow-dns', 'NetworkPolicy/b-gateway/default-deny', 'ServiceAccount/b-gateway/gw',
  ]);
});
