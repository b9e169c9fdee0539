import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS } from '../../lib/spec/defaults';
import { resolveSpec, type ResolvedSpec } from '../../lib/spec/resolve';
import { API_VERSION, KIND, type BoundaryManifest } from '../../lib/spec/types';
import { validateManifest } from '../../lib/spec/validate';
import { TEST_NOW, errorsOf } from './spec-fixtures';

/**
 * Every `@default` in lib/spec/types.ts (the public contract) must agree with lib/spec/defaults.ts (the one table)
 * and with what `resolveSpec` actually yields for a manifest that omits the property.
 */

interface Documented {
  /** `Interface.property`. */
  readonly key: string;
  /** Whether the property is optional (`?:`). */
  readonly optional: boolean;
  /** Text after `@default`, or undefined when the property has none. */
  readonly doc?: string;
}

/** Properties of every exported interface of a types file, with the `@default` of their JSDoc. */
function documentedProperties(source: string): Documented[] {
  const out: Documented[] = [];
  let owner = '';
  let jsdoc: string[] = [];
  let inDoc = false;
  for (const line of source.split('\n')) {
    const iface = /^export interface (\w+)/.exec(line);
    if (iface) owner = iface[1];
    if (/^\s*\/\*\*/.test(line)) {
      inDoc = true;
      jsdoc = [];
    }
    if (inDoc) {
      jsdoc.push(line);
      if (line.includes('*/')) inDoc = false;
      continue;
    }
    const prop = /^\s+readonly (\w+)(\?)?:/.exec(line);
    if (prop && owner) {
      const tag = jsdoc.map((l) => /@default\s+(.*?)\s*(\*\/)?$/.exec(l)).find((m) => m !== null);
      out.push({ key: `${owner}.${prop[1]}`, optional: prop[2] === '?', doc: tag?.[1] });
    }
    if (line.trim() !== '') jsdoc = [];
  }
  return out;
}

/** Parses a literal `@default`: a quoted string, a number or a boolean. */
function literal(doc: string): unknown {
  const str = /^'([^']*)'$/.exec(doc);
  if (str) return str[1];
  if (/^-?\d+(\.\d+)?$/.test(doc)) return Number(doc);
  if (doc === 'true' || doc === 'false') return doc === 'true';
  throw new Error(`@default ${doc}: neither a literal ('text', number, true/false) nor a behaviour ("- ...")`);
}

const DOCUMENTED = documentedProperties(readFileSync(join(__dirname, '..', '..', 'lib', 'spec', 'types.ts'), 'utf8'));
const LITERALS = DOCUMENTED.filter((d) => d.doc !== undefined && !d.doc.startsWith('-'));
const BEHAVIOURS = DOCUMENTED.filter((d) => d.doc?.startsWith('-'));

const IMAGE = 'ghcr.io/berriai/litellm-database:v1.74.3-stable@sha256:e07dcbbc489d364b2975428ae1a6860b05fd82b889c428663d7ee3cd90e6ae00';

/** The smallest manifest that still has every parent object of a defaulted property, and sets none of them. */
function minimal(): BoundaryManifest {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: 'minimal', customer: 'Minimal', owner: 'owner@minimal.example' },
    spec: {
      aws: { account: '111122223333', region: 'eu-central-1' },
      network: { cidr: '10.40.0.0/16', consumers: [{ name: 'apps', namespace: 'apps' }] },
      kubernetes: { version: '1.32', oidc: { issuerUrl: 'https://idp.minimal.example', clientId: 'kubernetes' } },
      gpuNodePools: [{ name: 'l4', instanceTypes: ['g6.xlarge'], gpusPerNode: 1, maxNodes: 2 }],
      models: [{ name: 'model', image: IMAGE, weights: 's3://minimal-models/model/', nodePool: 'l4' }],
      gateway: { engine: 'litellm', image: IMAGE, rateLimits: { requestsPerMinute: 60, tokensPerMinute: 100000 } },
      teams: [{ name: 'team', groups: ['team-group'], models: ['model'] }],
      access: { breakGlass: { roleArn: 'arn:aws:iam::111122223333:role/break-glass' } },
      secrets: {
        store: 'vault',
        vault: { server: 'https://vault.minimal.example', role: 'pab' },
        items: [{ name: 'item', owner: 'owner@minimal.example' }],
      },
    },
  };
}

/** The same, with the optional parents that have no required field present but empty. */
function withEmptyParents(): BoundaryManifest {
  const m = minimal();
  return { ...m, spec: { ...m.spec, network: { ...m.spec.network, zones: {} }, audit: {}, resilience: {} } };
}

interface LiteralRow {
  /** Where the resolved value is. */
  readonly resolved: (r: ResolvedSpec) => unknown;
  /** The key of DEFAULTS that supplies it. */
  readonly defaultsKey: keyof typeof DEFAULTS;
  /** The object that would hold the property in the manifest (to prove it is omitted), or undefined when absent. */
  readonly parent: (m: BoundaryManifest) => object | undefined;
}

/** Every literal `@default` of types.ts. A new one fails the suite until it is added here. */
const LITERAL_ROWS: Readonly<Record<string, LiteralRow>> = {
  'BoundarySpec.availabilityZones': { resolved: (r) => r.availabilityZones, defaultsKey: 'availabilityZones', parent: (m) => m.spec },
  'NetworkSpec.ingress': { resolved: (r) => r.network.ingress, defaultsKey: 'ingress', parent: (m) => m.spec.network },
  'NetworkSpec.waf': { resolved: (r) => r.network.waf, defaultsKey: 'waf', parent: (m) => m.spec.network },
  'OidcSpec.groupsClaim': { resolved: (r) => r.kubernetes.oidc?.groupsClaim, defaultsKey: 'oidcGroupsClaim', parent: (m) => m.spec.kubernetes.oidc },
  'OidcSpec.groupsPrefix': { resolved: (r) => r.kubernetes.oidc?.groupsPrefix, defaultsKey: 'oidcGroupsPrefix', parent: (m) => m.spec.kubernetes.oidc },
  'OidcSpec.usernameClaim': { resolved: (r) => r.kubernetes.oidc?.usernameClaim, defaultsKey: 'oidcUsernameClaim', parent: (m) => m.spec.kubernetes.oidc },
  'GpuNodePoolSpec.minNodes': { resolved: (r) => r.gpuNodePools[0].minNodes, defaultsKey: 'poolMinNodes', parent: (m) => m.spec.gpuNodePools?.[0] },
  'GpuNodePoolSpec.capacityType': { resolved: (r) => r.gpuNodePools[0].capacityType, defaultsKey: 'poolCapacityType', parent: (m) => m.spec.gpuNodePools?.[0] },
  'GpuNodePoolSpec.provisioner': { resolved: (r) => r.gpuNodePools[0].provisioner, defaultsKey: 'poolProvisioner', parent: (m) => m.spec.gpuNodePools?.[0] },
  'GpuNodePoolSpec.diskGiB': { resolved: (r) => r.gpuNodePools[0].diskGiB, defaultsKey: 'poolDiskGiB', parent: (m) => m.spec.gpuNodePools?.[0] },
  'ModelSpec.gpus': { resolved: (r) => r.models[0].gpus, defaultsKey: 'modelGpus', parent: (m) => m.spec.models?.[0] },
  'ModelSpec.replicas': { resolved: (r) => r.models[0].replicas, defaultsKey: 'modelReplicas', parent: (m) => m.spec.models?.[0] },
  'GatewaySpec.replicas': { resolved: (r) => r.gateway.replicas, defaultsKey: 'gatewayReplicas', parent: (m) => m.spec.gateway },
  'TeamSpec.gpuQuota': { resolved: (r) => r.teams[0].gpuQuota, defaultsKey: 'teamGpuQuota', parent: (m) => m.spec.teams?.[0] },
  'BreakGlassSpec.requireMfa': { resolved: (r) => r.access.breakGlass?.requireMfa, defaultsKey: 'breakGlassRequireMfa', parent: (m) => m.spec.access?.breakGlass },
  'SecretsSpec.rotationDays': { resolved: (r) => r.secrets.rotationDays, defaultsKey: 'secretsRotationDays', parent: (m) => m.spec.secrets },
  'VaultSpec.path': { resolved: (r) => r.secrets.vault?.path, defaultsKey: 'vaultPath', parent: (m) => m.spec.secrets.vault },
  'VaultSpec.authMountPath': { resolved: (r) => r.secrets.vault?.authMountPath, defaultsKey: 'vaultAuthMountPath', parent: (m) => m.spec.secrets.vault },
  'SecretItemSpec.zone': { resolved: (r) => r.secrets.items[0].zone, defaultsKey: 'secretItemZone', parent: (m) => m.spec.secrets.items?.[0] },
  'AuditSpec.retentionDays': { resolved: (r) => r.audit.retentionDays, defaultsKey: 'auditRetentionDays', parent: (m) => m.spec.audit },
  'AuditSpec.objectLock': { resolved: (r) => r.audit.objectLock, defaultsKey: 'auditObjectLock', parent: (m) => m.spec.audit },
  'AuditSpec.legalHold': { resolved: (r) => r.audit.legalHold, defaultsKey: 'auditLegalHold', parent: (m) => m.spec.audit },
  'ResilienceSpec.rtoMinutes': { resolved: (r) => r.resilience.rtoMinutes, defaultsKey: 'rtoMinutes', parent: (m) => m.spec.resilience },
  'ResilienceSpec.rpoMinutes': { resolved: (r) => r.resilience.rpoMinutes, defaultsKey: 'rpoMinutes', parent: (m) => m.spec.resilience },
};

/**
 * Behaviour defaults (`@default - ...`) that spell out values of DEFAULTS: the description must contain what
 * `resolveSpec` yields, rendered as the description words it.
 */
const BEHAVIOUR_ROWS: Readonly<Record<string, { readonly renders: (r: ResolvedSpec) => string; readonly defaultsKeys: readonly (keyof typeof DEFAULTS)[] }>> = {
  'NetworkSpec.zones': {
    renders: (r) => `gateway /${r.network.zoneMasks.gateway}, models /${r.network.zoneMasks.models}, data /${r.network.zoneMasks.data} per AZ`,
    defaultsKeys: ['zoneCidrMask'],
  },
  'BoundarySpec.audit': {
    renders: (r) => `${r.audit.retentionDays} days, ${r.audit.objectLock.toUpperCase()} Object Lock, ${r.audit.legalHold ? 'legal hold' : 'no legal hold'}`,
    defaultsKeys: ['auditRetentionDays', 'auditObjectLock', 'auditLegalHold'],
  },
  'BoundarySpec.resilience': {
    renders: (r) => `RTO ${r.resilience.rtoMinutes} minutes, RPO ${r.resilience.rpoMinutes} minutes`,
    defaultsKeys: ['rtoMinutes', 'rpoMinutes'],
  },
  'SecretsSpec.keyPrefix': {
    renders: (r) => (r.secrets.keyPrefix === `pab/${r.name}` ? '`pab/<metadata.name>`' : r.secrets.keyPrefix),
    defaultsKeys: [],
  },
};

const MANIFESTS = [
  ['parents absent', minimal],
  ['parents present but empty', withEmptyParents],
] as const;

test('types.ts documents literal and behaviour defaults (the parser found them)', () => {
  expect(LITERALS.length).toBeGreaterThanOrEqual(20);
  expect(BEHAVIOURS.length).toBeGreaterThanOrEqual(10);
});

test('every literal @default has a row in the table, and every row a literal @default', () => {
  expect(LITERALS.map((d) => d.key).sort()).toEqual(Object.keys(LITERAL_ROWS).sort());
});

test('every optional property documents its default (STYLE.md "Docs")', () => {
  expect(DOCUMENTED.filter((d) => d.optional && d.doc === undefined).map((d) => d.key)).toEqual([]);
});

test('no @default is written as "undefined" (STYLE.md "Docs")', () => {
  expect(DOCUMENTED.filter((d) => d.doc !== undefined && /^(undefined|-\s*undefined)$/.test(d.doc)).map((d) => d.key)).toEqual([]);
});

test('every entry of DEFAULTS is documented by a literal or behaviour @default', () => {
  const covered = new Set<string>([
    ...Object.values(LITERAL_ROWS).map((r) => r.defaultsKey),
    ...Object.values(BEHAVIOUR_ROWS).flatMap((r) => r.defaultsKeys),
  ]);
  expect(Object.keys(DEFAULTS).filter((k) => !covered.has(k))).toEqual([]);
});

describe.each(MANIFESTS)('minimal manifest, %s', (_variant, make) => {
  test('is valid, and resolveSpec is what validation returns', () => {
    const result = validateManifest(make(), { now: TEST_NOW });
    expect(errorsOf(result.problems)).toEqual([]);
    expect(result.spec).toEqual(resolveSpec(make()));
  });

  test.each(LITERALS.map((d) => [d.key, d.doc!] as const))('%s: @default %s', (key, doc) => {
    const row = LITERAL_ROWS[key];
    expect(row).toBeDefined();
    const manifest = make();
    expect(Object.keys(row.parent(manifest) ?? {})).not.toContain(key.split('.')[1]);
    expect(row.resolved(resolveSpec(manifest))).toEqual(literal(doc));
    expect(DEFAULTS[row.defaultsKey]).toEqual(literal(doc));
  });

  test.each(Object.keys(BEHAVIOUR_ROWS))('%s: the behaviour @default states the resolved values', (key) => {
    const documented = BEHAVIOURS.find((d) => d.key === key);
    expect(documented?.doc).toContain(BEHAVIOUR_ROWS[key].renders(resolveSpec(make())));
  });
});

test('the parser reads literal, behaviour and missing defaults, and refuses an unparseable literal', () => {
  const parsed = documentedProperties([
    'export interface X {',
    '  /**',
    '   * Replicas.',
    '   * @default 3',
    '   */',
    '  readonly replicas?: number;',
    '  /** @default \'spot\' */',
    '  readonly capacity?: string;',
    '  /**',
    '   * @default - none',
    '   */',
    '  readonly label?: string;',
    '  readonly bare?: string;',
    '}',
  ].join('\n'));
  expect(parsed).toEqual([
    { key: 'X.replicas', optional: true, doc: '3' },
    { key: 'X.capacity', optional: true, doc: "'spot'" },
    { key: 'X.label', optional: true, doc: '- none' },
    { key: 'X.bare', optional: true, doc: undefined },
  ]);
  expect(() => literal('gateway /22')).toThrow(/neither a literal/);
});
