import { validateK8sObject } from './k8s-schema';

type Obj = Record<string, unknown>;

 
function variant(base: Obj, mutate: (copy: any) => void): Obj {
  const copy = JSON.parse(JSON.stringify(base)) as Obj;
  mutate(copy);
  return copy;
}

const nodePool: Obj = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'gpu', labels: { 'app.kubernetes.io/part-of': 'boundary' } },
  spec: {
    template: {
      metadata: { labels: { 'nvidia.com/gpu.present': 'true' } },
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' },
        requirements: [
          { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g6', 'g6e'], minValues: 1 },
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
          { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gt', values: ['0'] },
        ],
        taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }],
        startupTaints: [{ key: 'example.com/init', value: 'pending', effect: 'NoExecute' }],
        expireAfter: '720h',
        terminationGracePeriod: '1h30m',
      },
    },
    disruption: {
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: '10m',
      budgets: [{ nodes: '10%' }, { nodes: '0', reasons: ['Drifted'], schedule: '0 9 * * mon-fri', duration: '8h' }],
    },
    limits: { 'nvidia.com/gpu': 8, cpu: '256', memory: '1Ti' },
    weight: 50,
  },
};

const nodeClass: Obj = {
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'gpu' },
  spec: {
    amiSelectorTerms: [{ alias: 'al2023@v20240807' }],
    role: 'KarpenterNodeRole-acme',
    subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'acme' } }, { id: 'subnet-0abc123' }],
    securityGroupSelectorTerms: [{ id: 'sg-0abc123' }],
    metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
    blockDeviceMappings: [{
      deviceName: '/dev/xvda',
      rootVolume: true,
      ebs: { volumeSize: '200Gi', volumeType: 'gp3', encrypted: true, kmsKeyID: 'arn:aws:kms:eu-west-1:111122223333:key/abc', iops: 3000, throughput: 125, deleteOnTermination: true },
    }],
    kubelet: { maxPods: 110, systemReserved: { cpu: '100m', memory: '100Mi' } },
    tags: { 'acme.io/boundary': 'prod' },
    detailedMonitoring: true,
    associatePublicIPAddress: false,
  },
};

const secretStore: Obj = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'SecretStore',
  metadata: { name: 'aws', namespace: 'acme-prod-gateway' },
  spec: {
    refreshInterval: 300,
    provider: {
      aws: {
        service: 'SecretsManager',
        region: 'eu-west-1',
        role: 'arn:aws:iam::111122223333:role/gateway-secrets',
        auth: { jwt: { serviceAccountRef: { name: 'external-secrets' } } },
      },
    },
  },
};

const clusterSecretStore: Obj = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name: 'vault' },
  spec: {
    provider: {
      vault: {
        server: 'https://vault.example.com:8200',
        path: 'secret',
        version: 'v2',
        auth: { kubernetes: { mountPath: 'kubernetes', role: 'boundary', serviceAccountRef: { name: 'eso', namespace: 'external-secrets' } } },
      },
    },
    conditions: [{ namespaceSelector: { matchLabels: { 'acme.io/boundary': 'prod' } } }],
  },
};

const externalSecret: Obj = {
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: 'gateway-keys', namespace: 'acme-prod-gateway' },
  spec: {
    secretStoreRef: { name: 'aws', kind: 'SecretStore' },
    refreshInterval: '1h',
    target: {
      name: 'gateway-keys',
      creationPolicy: 'Owner',
      deletionPolicy: 'Retain',
      template: { type: 'Opaque', metadata: { labels: { 'app.kubernetes.io/name': 'gateway' }, annotations: { a: 'b' } } },
    },
    data: [{ secretKey: 'LITELLM_MASTER_KEY', remoteRef: { key: 'acme/prod/gateway', property: 'master_key', version: 'AWSCURRENT' } }],
    dataFrom: [{ extract: { key: 'acme/prod/database' } }],
  },
};

describe('Karpenter NodePool (karpenter.sh/v1)', () => {
  it('accepts a GPU node pool', () => {
    expect(validateK8sObject(nodePool)).toEqual([]);
  });

  it('reports unknown fields, missing required fields and bad enum values', () => {
    const bad = variant(nodePool, (p) => {
      p.spec.template.spec.nodeClassRef.apiVersion = 'karpenter.k8s.aws/v1'; // v1beta1 spelling
      delete p.spec.disruption.consolidateAfter;
      p.spec.disruption.consolidationPolicy = 'WhenUnderutilized'; // v1beta1 value
      p.spec.template.spec.requirements[0].operator = 'Equals';
      p.spec.limits.cpu = '1 core';
      p.spec.weight = 0;
    });
    expect(validateK8sObject(bad).sort()).toEqual([
      'NodePool gpu: spec.disruption.consolidateAfter: missing required field',
      'NodePool gpu: spec.disruption.consolidationPolicy: "WhenUnderutilized" is not one of "WhenEmpty", "WhenEmptyOrUnderutilized"',
      expect.stringMatching(/^NodePool gpu: spec\.limits\.cpu: "1 core" does not match /),
      'NodePool gpu: spec.template.spec.nodeClassRef.apiVersion: unknown field',
      'NodePool gpu: spec.template.spec.requirements[0].operator: "Equals" is not one of "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"',
      'NodePool gpu: spec.weight: must be >= 1',
    ]);
  });
});

describe('Karpenter EC2NodeClass (karpenter.k8s.aws/v1)', () => {
  it('accepts a node class with IMDSv2, encrypted root volume and a pinned AMI alias', () => {
    expect(validateK8sObject(nodeClass)).toEqual([]);
  });

  it('reports unknown fields, missing required fields, bad enums and role/instanceProfile conflicts', () => {
    const bad = variant(nodeClass, (c) => {
      c.spec.subnetSelector = { 'karpenter.sh/discovery': 'acme' }; // v1alpha spelling
      delete c.spec.securityGroupSelectorTerms;
      c.spec.metadataOptions.httpTokens = 'disabled';
      c.spec.blockDeviceMappings[0].ebs.volumeSize = '200GB';
      c.spec.instanceProfile = 'KarpenterNodeInstanceProfile-acme';
    });
    expect(validateK8sObject(bad).sort()).toEqual([
      expect.stringMatching(/^EC2NodeClass gpu: spec\.blockDeviceMappings\[0\]\.ebs\.volumeSize: "200GB" does not match /),
      'EC2NodeClass gpu: spec.metadataOptions.httpTokens: "disabled" is not one of "required", "optional"',
      'EC2NodeClass gpu: spec.securityGroupSelectorTerms: missing required field',
      'EC2NodeClass gpu: spec.subnetSelector: unknown field',
      'EC2NodeClass gpu: spec: must set exactly one of role, instanceProfile',
    ]);
  });
});

describe('External Secrets Operator (external-secrets.io/v1)', () => {
  it('accepts an AWS SecretStore, a Vault ClusterSecretStore and an ExternalSecret', () => {
    expect([secretStore, clusterSecretStore, externalSecret].flatMap(validateK8sObject)).toEqual([]);
  });

  it('reports problems in a SecretStore', () => {
    const bad = variant(secretStore, (s) => {
      s.spec.provider.aws.auth.jwt.serviceAccount = { name: 'x' };
      delete s.spec.provider.aws.region;
      s.spec.provider.aws.service = 'SecretManager';
      s.spec.refreshInterval = '5m';
    });
    expect(validateK8sObject(bad).sort()).toEqual([
      'SecretStore acme-prod-gateway/aws: spec.provider.aws.auth.jwt.serviceAccount: unknown field',
      'SecretStore acme-prod-gateway/aws: spec.provider.aws.region: missing required field',
      'SecretStore acme-prod-gateway/aws: spec.provider.aws.service: "SecretManager" is not one of "SecretsManager", "ParameterStore"',
      'SecretStore acme-prod-gateway/aws: spec.refreshInterval: must be an integer, got a string',
    ]);
  });

  it('reports problems in a ClusterSecretStore, including two providers at once', () => {
    const bad = variant(clusterSecretStore, (s) => {
      delete s.spec.provider.vault.auth.kubernetes.role;
      s.spec.provider.vault.version = 'v3';
      s.spec.provider.aws = { service: 'SecretsManager', region: 'eu-west-1' };
      s.spec.conditions[0].namespaceSelector.matchLabel = {};
    });
    expect(validateK8sObject(bad).sort()).toEqual([
      'ClusterSecretStore vault: spec.conditions[0].namespaceSelector.matchLabel: unknown field',
      'ClusterSecretStore vault: spec.provider.vault.auth.kubernetes.role: missing required field',
      'ClusterSecretStore vault: spec.provider.vault.version: "v3" is not one of "v1", "v2"',
      'ClusterSecretStore vault: spec.provider: must have at most 1 field(s), got vault, aws',
    ]);
  });

  it('reports problems in an ExternalSecret', () => {
    const bad = variant(externalSecret, (e) => {
      e.spec.data[0].remoteRef.name = 'acme/prod/gateway';
      delete e.spec.data[0].remoteRef.key;
      e.spec.target.creationPolicy = 'Create';
      e.spec.target.template.metadata.label = {};
      delete e.spec.data[0].secretKey;
    });
    expect(validateK8sObject(bad).sort()).toEqual([
      'ExternalSecret acme-prod-gateway/gateway-keys: spec.data[0].remoteRef.key: missing required field',
      'ExternalSecret acme-prod-gateway/gateway-keys: spec.data[0].remoteRef.name: unknown field',
      'ExternalSecret acme-prod-gateway/gateway-keys: spec.data[0].secretKey: missing required field',
      'ExternalSecret acme-prod-gateway/gateway-keys: spec.target.creationPolicy: "Create" is not one of "Owner", "Orphan", "Merge", "None"',
      'ExternalSecret acme-prod-gateway/gateway-keys: spec.target.template.metadata.label: unknown field',
    ]);
  });

  it('checks the metadata of custom resources against ObjectMeta and rejects other versions', () => {
    const bad = variant(externalSecret, (e) => {
      e.metadata.annotation = {};
      e.metadata.labels = { count: 3 };
    });
    expect(validateK8sObject(bad).sort()).toEqual([
      'ExternalSecret acme-prod-gateway/gateway-keys: metadata.annotation: unknown field',
      'ExternalSecret acme-prod-gateway/gateway-keys: metadata.labels.count: must be a string, got a number',
    ]);
    expect(validateK8sObject({ ...externalSecret, apiVersion: 'external-secrets.io/v1beta1' })).toEqual([
      'ExternalSecret acme-prod-gateway/gateway-keys: unknown apiVersion/kind external-secrets.io/v1beta1 ExternalSecret: no schema to validate it against',
    ]);
  });
});
