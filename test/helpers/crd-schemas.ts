/**
 * Hand-made schemas of the custom resources this project emits, for the offline validator (kubernetes-models has no
 * usable models for them on Node 20). They transcribe the upstream CRD `openAPIV3Schema` for the fields we may use:
 * property names, `required`, enums, patterns and bounds. CEL rules (`x-kubernetes-validations`) are not modelled,
 * except "exactly one of role/instanceProfile" via `x-exactly-one-of`. Anything upstream defines but we do not list
 * here is reported as an unknown field: add it (from the sources below) before using it.
 *
 * Sources (read 2026-11):
 *  - Karpenter v1: github.com/aws/karpenter-provider-aws `pkg/apis/crds/karpenter.sh_nodepools.yaml` (v1, controller-gen
 *    v0.17.1) and `pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml` (v1); newer optional EC2NodeClass fields
 *    (`amiSelectorTerms[].ssmParameter`, `capacityReservationSelectorTerms`) from
 *    `website/content/en/preview/concepts/nodeclasses.md`.
 *  - External Secrets Operator v1: github.com/external-secrets/external-secrets `apis/externalsecrets/v1/`
 *    `secretstore_types.go`, `secretstore_aws_types.go`, `secretstore_vault_types.go`, `externalsecret_types.go` and
 *    `apis/meta/v1` (ServiceAccountSelector, SecretKeySelector); kubebuilder markers give enums and required fields
 *    (a field without `omitempty`/`+optional` is required). Only the `aws` and `vault` providers are modelled.
 */
import type { Schema } from './openapi-walk';

/** `$ref` keys that the validator resolves to built-in definitions (ObjectMeta, LabelSelector). */
export const BUILT_IN_REFS = {
  objectMeta: 'k8s:ObjectMeta',
  labelSelector: 'k8s:LabelSelector',
} as const;

const str: Schema = { type: 'string' };
const nonEmpty: Schema = { type: 'string', minLength: 1 };
const bool: Schema = { type: 'boolean' };
const int: Schema = { type: 'integer' };
const strings: Schema = { type: 'array', items: str };
const obj = (properties: Record<string, Schema>, required: string[] = [], extra: Partial<Schema> = {}): Schema =>
  ({ type: 'object', properties, required, ...extra });
const arr = (items: Schema, extra: Partial<Schema> = {}): Schema => ({ type: 'array', items, ...extra });
const map = (values: Schema = str, extra: Partial<Schema> = {}): Schema =>
  ({ type: 'object', additionalProperties: values, ...extra });
const oneOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
const pattern = (re: string): Schema => ({ type: 'string', pattern: re });
const intRange = (minimum: number, maximum?: number): Schema =>
  (maximum === undefined ? { type: 'integer', minimum } : { type: 'integer', minimum, maximum });

/** resource.Quantity as CRDs spell it (int-or-string with the apimachinery quantity pattern). */
const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
const quantity: Schema = { 'x-kubernetes-int-or-string': true, pattern: QUANTITY_PATTERN };

function kind(apiVersion: string, kindName: string, spec: Schema): Schema {
  return obj({
    apiVersion: oneOf(apiVersion),
    kind: oneOf(kindName),
    metadata: { $ref: BUILT_IN_REFS.objectMeta },
    spec,
    // status is written by the controller; a manifest that sets it is almost certainly a mistake, but it is valid.
    status: { type: 'object' },
  }, ['apiVersion', 'kind']);
}

// ---------------------------------------------------------------- Karpenter (karpenter.sh/v1, karpenter.k8s.aws/v1)

const QUALIFIED_NAME = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
const KARPENTER_DURATION_OR_NEVER = '^(([0-9]+(s|m|h))+)|(Never)$';

const taint = obj({
  key: { type: 'string', minLength: 1, pattern: QUALIFIED_NAME },
  value: pattern(QUALIFIED_NAME),
  effect: oneOf('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
  timeAdded: str,
}, ['effect', 'key']);

const nodePoolSpec = obj({
  template: obj({
    metadata: obj({
      labels: map(pattern(LABEL_VALUE), { maxProperties: 100 }),
      annotations: map(),
    }),
    spec: obj({
      nodeClassRef: obj({ group: pattern('^[^/]*$'), kind: nonEmpty, name: nonEmpty }, ['group', 'kind', 'name']),
      requirements: arr(obj({
        key: pattern(QUALIFIED_NAME),
        operator: oneOf('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'),
        values: strings,
        minValues: intRange(1, 50),
      }, ['key', 'operator']), { maxItems: 100 }),
      taints: arr(taint),
      startupTaints: arr(taint),
      expireAfter: pattern(KARPENTER_DURATION_OR_NEVER),
      terminationGracePeriod: pattern('^([0-9]+(s|m|h))+$'),
    }, ['nodeClassRef', 'requirements']),
  }, ['spec']),
  disruption: obj({
    consolidationPolicy: oneOf('WhenEmpty', 'WhenEmptyOrUnderutilized'),
    consolidateAfter: pattern(KARPENTER_DURATION_OR_NEVER),
    budgets: arr(obj({
      nodes: pattern('^((100|[0-9]{1,2})%|[0-9]+)$'),
      reasons: arr(oneOf('Underutilized', 'Empty', 'Drifted')),
      schedule: pattern('^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$'),
      duration: pattern('^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$'),
    }, ['nodes']), { maxItems: 50 }),
  }, ['consolidateAfter']),
  limits: map(quantity),
  weight: intRange(1, 100),
}, ['template']);

const selectorTags = map(str, { maxProperties: 20 });
const RESERVED_QUANTITY = map(pattern(QUANTITY_PATTERN));
const EVICTION_THRESHOLD = map(str);

const ec2NodeClassSpec = obj({
  amiFamily: oneOf('AL2', 'AL2023', 'Bottlerocket', 'Custom', 'Windows2019', 'Windows2022'),
  amiSelectorTerms: arr(obj({
    // CEL upstream: self.matches('^[a-zA-Z0-9]*@.*$'), e.g. al2023@v20240807.
    alias: pattern('^[a-zA-Z0-9]*@.*$'),
    id: pattern('ami-[0-9a-z]+'),
    name: str,
    owner: str,
    ssmParameter: str,
    tags: selectorTags,
  }), { minItems: 1, maxItems: 30 }),
  associatePublicIPAddress: bool,
  blockDeviceMappings: arr(obj({
    deviceName: str,
    rootVolume: bool,
    ebs: obj({
      deleteOnTermination: bool,
      encrypted: bool,
      iops: int,
      kmsKeyID: str,
      snapshotID: str,
      throughput: int,
      volumeSize: pattern('^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$'),
      volumeType: oneOf('standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3'),
    }),
  }), { maxItems: 50 }),
  capacityReservationSelectorTerms: arr(obj({ id: str, ownerID: str, tags: selectorTags })),
  context: str,
  detailedMonitoring: bool,
  instanceProfile: nonEmpty,
  instanceStorePolicy: oneOf('RAID0'),
  kubelet: obj({
    clusterDNS: strings,
    cpuCFSQuota: bool,
    evictionHard: EVICTION_THRESHOLD,
    evictionMaxPodGracePeriod: int,
    evictionSoft: EVICTION_THRESHOLD,
    evictionSoftGracePeriod: map(str),
    imageGCHighThresholdPercent: intRange(0, 100),
    imageGCLowThresholdPercent: intRange(0, 100),
    kubeReserved: RESERVED_QUANTITY,
    maxPods: intRange(0),
    podsPerCore: intRange(0),
    systemReserved: RESERVED_QUANTITY,
  }),
  metadataOptions: obj({
    httpEndpoint: oneOf('enabled', 'disabled'),
    httpProtocolIPv6: oneOf('enabled', 'disabled'),
    httpPutResponseHopLimit: intRange(1, 64),
    httpTokens: oneOf('required', 'optional'),
  }),
  role: nonEmpty,
  securityGroupSelectorTerms: arr(obj({ id: pattern('sg-[0-9a-z]+'), name: str, tags: selectorTags }), { minItems: 1, maxItems: 30 }),
  subnetSelectorTerms: arr(obj({ id: pattern('subnet-[0-9a-z]+'), tags: selectorTags }), { minItems: 1, maxItems: 30 }),
  tags: map(),
  userData: str,
}, ['amiSelectorTerms', 'securityGroupSelectorTerms', 'subnetSelectorTerms'], { 'x-exactly-one-of': ['role', 'instanceProfile'] });

// ---------------------------------------------------------------- External Secrets Operator (external-secrets.io/v1)

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const SECRET_KEY = '^[-._a-zA-Z0-9]+$';
const serviceAccountSelector = obj({ name: str, namespace: str, audiences: strings }, ['name']);
const secretKeySelector = obj({ name: str, namespace: str, key: str });
const storeRef = obj({ name: pattern(DNS_SUBDOMAIN), kind: oneOf('SecretStore', 'ClusterSecretStore') });
const generatorRef = obj({ apiVersion: str, kind: str, name: pattern(DNS_SUBDOMAIN) }, ['kind', 'name']);
const sourceRef = obj({ storeRef, generatorRef }, [], { minProperties: 1, maxProperties: 1 });
const conversionStrategy = oneOf('Default', 'Unicode');
const decodingStrategy = oneOf('Auto', 'Base64', 'Base64URL', 'None');
const remoteRef = obj({
  key: str,
  property: str,
  version: str,
  metadataPolicy: oneOf('None', 'Fetch'),
  conversionStrategy,
  decodingStrategy,
}, ['key']);

const awsProvider = obj({
  service: oneOf('SecretsManager', 'ParameterStore'),
  region: str,
  role: str,
  additionalRoles: strings,
  externalID: str,
  prefix: str,
  auth: obj({
    jwt: obj({ serviceAccountRef: serviceAccountSelector }),
    secretRef: obj({
      accessKeyIDSecretRef: secretKeySelector,
      secretAccessKeySecretRef: secretKeySelector,
      sessionTokenSecretRef: secretKeySelector,
    }),
  }),
  sessionTags: arr(obj({ key: str, value: str }, ['key', 'value'])),
  transitiveTagKeys: strings,
  secretsManager: obj({ forceDeleteWithoutRecovery: bool, recoveryWindowInDays: int }),
}, ['service', 'region']);

const vaultProvider = obj({
  server: str,
  path: str,
  version: oneOf('v1', 'v2'),
  namespace: str,
  caBundle: str,
  caProvider: obj({
    type: oneOf('Secret', 'ConfigMap'), name: pattern(DNS_SUBDOMAIN), key: pattern(SECRET_KEY), namespace: str,
  }, ['type', 'name']),
  tls: obj({ certSecretRef: secretKeySelector, keySecretRef: secretKeySelector }),
  readYourWrites: bool,
  forwardInconsistent: bool,
  headers: map(),
  auth: obj({
    namespace: str,
    tokenSecretRef: secretKeySelector,
    appRole: obj({ path: str, roleId: str, roleRef: secretKeySelector, secretRef: secretKeySelector }, ['path', 'secretRef']),
    // mountPath has a CRD default ("kubernetes") but is still listed as required.
    kubernetes: obj({ mountPath: str, role: str, serviceAccountRef: serviceAccountSelector, secretRef: secretKeySelector },
      ['mountPath', 'role']),
    jwt: obj({
      path: str,
      role: str,
      secretRef: secretKeySelector,
      kubernetesServiceAccountToken: obj({ serviceAccountRef: serviceAccountSelector, audiences: strings, expirationSeconds: int },
        ['serviceAccountRef']),
    }, ['path']),
  }),
}, ['server']);

const secretStoreSpec = obj({
  controller: str,
  provider: obj({ aws: awsProvider, vault: vaultProvider }, [], { minProperties: 1, maxProperties: 1 }),
  retrySettings: obj({ maxRetries: int, retryInterval: str }),
  // SecretStore refreshInterval is an integer number of seconds (ExternalSecret's is a duration string).
  refreshInterval: int,
  conditions: arr(obj({ namespaceSelector: { $ref: BUILT_IN_REFS.labelSelector }, namespaces: strings, namespaceRegexes: strings })),
}, ['provider']);

const templateRef = obj({
  name: pattern(DNS_SUBDOMAIN),
  items: arr(obj({ key: pattern(SECRET_KEY), templateAs: oneOf('Values', 'KeysAndValues') }, ['key'])),
}, ['name', 'items']);

const externalSecretSpec = obj({
  secretStoreRef: storeRef,
  refreshInterval: str,
  refreshPolicy: oneOf('CreatedOnce', 'Periodic', 'OnChange'),
  target: obj({
    name: pattern(DNS_SUBDOMAIN),
    creationPolicy: oneOf('Owner', 'Orphan', 'Merge', 'None'),
    deletionPolicy: oneOf('Delete', 'Merge', 'Retain'),
    immutable: bool,
    template: obj({
      type: str,
      engineVersion: oneOf('v2'),
      mergePolicy: oneOf('Replace', 'Merge'),
      metadata: obj({ labels: map(), annotations: map() }),
      data: map(),
      templateFrom: arr(obj({
        configMap: templateRef, secret: templateRef, target: oneOf('Data', 'Annotations', 'Labels'), literal: str,
      })),
    }),
  }),
  data: arr(obj({ secretKey: pattern(SECRET_KEY), remoteRef, sourceRef }, ['secretKey', 'remoteRef'])),
  dataFrom: arr(obj({
    extract: remoteRef,
    find: obj({ path: str, name: obj({ regexp: str }), tags: map(), conversionStrategy, decodingStrategy }),
    rewrite: arr(obj({
      merge: obj({ into: str, priority: strings, conflictPolicy: oneOf('Ignore', 'Error'), strategy: oneOf('Extract', 'JSON') }),
      regexp: obj({ source: str, target: str }, ['source', 'target']),
      transform: obj({ template: str }, ['template']),
    }, [], { minProperties: 1, maxProperties: 1 })),
    sourceRef,
  })),
});

/** Schemas of the custom resources we emit, keyed by `<apiVersion>/<kind>`. */
export const CRD_SCHEMAS: Readonly<Record<string, Schema>> = {
  'karpenter.sh/v1/NodePool': kind('karpenter.sh/v1', 'NodePool', nodePoolSpec),
  'karpenter.k8s.aws/v1/EC2NodeClass': kind('karpenter.k8s.aws/v1', 'EC2NodeClass', ec2NodeClassSpec),
  'external-secrets.io/v1/SecretStore': kind('external-secrets.io/v1', 'SecretStore', secretStoreSpec),
  'external-secrets.io/v1/ClusterSecretStore': kind('external-secrets.io/v1', 'ClusterSecretStore', secretStoreSpec),
  'external-secrets.io/v1/ExternalSecret': kind('external-secrets.io/v1', 'ExternalSecret', externalSecretSpec),
};
