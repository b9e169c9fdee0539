import { z } from 'zod';
import type { BoundaryManifest } from './types';

/**
 * Structural schema of a spec document: types, required fields, enums and unknown fields (typos).
 * Value rules (names, CIDRs, digests, references) live in lib/spec/rules/, where each has its own code and message.
 * Every object is strict: an unknown field is an error, never silently ignored.
 */

const str = z.string();
const int = z.number().int();
const rateLimits = z.strictObject({ requestsPerMinute: int, tokensPerMinute: int });
const zone = z.strictObject({ cidrMask: int });

const network = z.strictObject({
  cidr: str,
  zones: z.strictObject({ gateway: zone.optional(), models: zone.optional(), data: zone.optional() }).optional(),
  consumers: z.array(z.strictObject({ name: str, cidr: str.optional(), namespace: str.optional() })),
  ingress: z.enum(['private', 'public']).optional(),
  waf: z.boolean().optional(),
  wafAclArn: str.optional(),
  tlsCertificateArn: str.optional(),
  publicIngressReason: str.optional(),
});

const kubernetes = z.strictObject({
  version: str,
  oidc: z.strictObject({
    issuerUrl: str,
    clientId: str,
    groupsClaim: str.optional(),
    groupsPrefix: str.optional(),
    usernameClaim: str.optional(),
  }).optional(),
});

const gpuNodePool = z.strictObject({
  name: str,
  instanceTypes: z.array(str),
  gpusPerNode: int,
  minNodes: int.optional(),
  maxNodes: int,
  capacityType: z.enum(['on-demand', 'spot']).optional(),
  provisioner: z.enum(['managed-node-group', 'karpenter']).optional(),
  amiAlias: str.optional(),
  diskGiB: int.optional(),
});

const model = z.strictObject({
  name: str,
  image: str,
  weights: str,
  nodePool: str,
  gpus: int.optional(),
  replicas: int.optional(),
  maxModelLen: int.optional(),
});

const gateway = z.strictObject({
  engine: z.enum(['litellm']),
  image: str,
  replicas: int.optional(),
  rateLimits,
  redaction: z.array(z.strictObject({ entities: z.array(str), action: z.enum(['allow', 'mask', 'block']) })).optional(),
  presidio: z.strictObject({ analyzerImage: str, anonymizerImage: str }).optional(),
  stateCidrs: z.array(str).optional(),
});

const team = z.strictObject({
  name: str,
  groups: z.array(str),
  models: z.array(str),
  rateLimits: rateLimits.optional(),
  gpuQuota: int.optional(),
});

const access = z.strictObject({
  breakGlass: z.strictObject({ roleArn: str, requireMfa: z.boolean().optional() }).optional(),
  grants: z.array(z.strictObject({
    principal: str,
    level: z.enum(['view', 'edit', 'admin']),
    expires: str,
    reason: str,
  })).optional(),
});

const secrets = z.strictObject({
  store: z.enum(['aws-secrets-manager', 'vault', 'existing-cluster-store']),
  rotationDays: int.optional(),
  keyPrefix: str.optional(),
  vault: z.strictObject({
    server: str,
    path: str.optional(),
    role: str,
    authMountPath: str.optional(),
  }).optional(),
  existingStoreName: str.optional(),
  items: z.array(z.strictObject({
    name: str,
    owner: str,
    zone: z.enum(['gateway', 'models', 'data']).optional(),
  })).optional(),
});

const audit = z.strictObject({
  retentionDays: int.optional(),
  objectLock: z.enum(['compliance', 'governance', 'none']).optional(),
  legalHold: z.boolean().optional(),
  reason: str.optional(),
  bucket: str.optional(),
  bucketRegion: str.optional(),
  endpointUrl: str.optional(),
  sinkCidrs: z.array(str).optional(),
});

/** The zod schema of a whole spec document. */
export const manifestSchema = z.strictObject({
  apiVersion: z.literal('private-ai-boundary/v1'),
  kind: z.literal('Boundary'),
  metadata: z.strictObject({
    name: str,
    customer: str,
    owner: str,
    labels: z.record(str, str).optional(),
  }),
  spec: z.strictObject({
    aws: z.strictObject({ account: str, region: str }).optional(),
    availabilityZones: int.optional(),
    network,
    kubernetes,
    gpuNodePools: z.array(gpuNodePool).optional(),
    models: z.array(model).optional(),
    gateway,
    teams: z.array(team).optional(),
    access: access.optional(),
    secrets,
    audit: audit.optional(),
    resilience: z.strictObject({ rtoMinutes: int.optional(), rpoMinutes: int.optional() }).optional(),
  }),
});

// Compile-time guard: the schema and the documented interfaces describe the same shape, both ways.
type Parsed = z.infer<typeof manifestSchema>;
type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
const _schemaMatchesTypes: [Parsed extends Mutable<BoundaryManifest> ? true : never,
  Mutable<BoundaryManifest> extends Parsed ? true : never] = [true, true];
void _schemaMatchesTypes;

/** Field names an object accepts at `path`, for "did you mean" hints; empty when not an object. */
export function fieldsAt(path: readonly (string | number)[]): string[] {
  let node: z.ZodType = manifestSchema;
  for (const seg of path) {
    node = unwrap(node);
    if (node instanceof z.ZodObject && typeof seg === 'string') {
      const next = (node.shape as Record<string, z.ZodType>)[seg];
      if (!next) return [];
      node = next;
    } else if (node instanceof z.ZodArray && typeof seg === 'number') {
      node = node.element as z.ZodType;
    } else {
      return [];
    }
  }
  node = unwrap(node);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(node: z.ZodType): z.ZodType {
  let n = node;
  while (n instanceof z.ZodOptional) n = n.unwrap() as z.ZodType;
  return n;
}
