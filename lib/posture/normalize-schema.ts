import { z } from 'zod';
import { POSTURE_SCHEMA, POSTURE_SECTIONS, type Posture } from './types';

/** A posture document that cannot be read (bad JSON, a missing or mistyped field, an unknown field, a repeated key). */
export class PostureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostureError';
  }
}

// The structure of posture.json (lib/posture/types.ts), every object strict: a typo is an error, never ignored.
const str = z.string();
const int = z.number().int();
const strings = z.array(str);
const evidence = z.array(z.strictObject({ source: z.enum(['kubernetes', 'cloudformation']), ref: str })).min(1);
const entry = { key: str.min(1), evidence };

const peer = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('internet') }),
  z.strictObject({ kind: z.literal('cidr'), cidr: str }),
  z.strictObject({ kind: z.literal('namespace'), namespace: str }),
  z.strictObject({ kind: z.literal('pods'), namespace: str, selector: z.record(str, str) }),
  z.strictObject({ kind: z.literal('security-group'), name: str }),
  z.strictObject({ kind: z.literal('prefix-list'), id: str }),
  z.strictObject({ kind: z.literal('aws-service'), service: str }),
]);
const port = z.strictObject({ protocol: z.enum(['tcp', 'udp', 'icmp', 'all']), from: int, to: int });
const condition = z.strictObject({ operator: str, key: str, values: strings });
const statement = z.strictObject({
  effect: z.enum(['Allow', 'Deny']), actions: strings, resources: strings, conditions: z.array(condition), principals: strings.optional(),
});
const atRest = z.enum(['none', 'aws-managed', 'cmk']);
const pss = z.enum(['privileged', 'baseline', 'restricted']);

const schema = z.strictObject({
  schema: z.literal(POSTURE_SCHEMA),
  boundary: str,
  owners: z.strictObject({
    customer: str.optional(), owner: str.optional(), secretOwners: z.array(z.strictObject({ secret: str, owner: str })),
  }),
  sources: z.array(z.strictObject({ target: z.enum(['kubernetes', 'cloudformation', 'pulumi']), artifact: str, sha256: str.regex(/^[a-f0-9]{64}$/) })),
  network: z.array(z.strictObject({
    ...entry,
    layer: z.enum(['kubernetes', 'aws']),
    mechanism: z.enum(['NetworkPolicy', 'SecurityGroup', 'NetworkAcl', 'Route', 'VpcEndpoint', 'LoadBalancer', 'Ingress', 'ClusterEndpoint', 'default-deny']),
    direction: z.enum(['ingress', 'egress']),
    subject: peer, peers: z.array(peer), ports: z.array(port), public: z.boolean(), purpose: str.optional(), policy: z.array(statement).optional(),
  })),
  modelAccess: z.array(z.strictObject({
    ...entry, team: str, model: str, groups: strings,
    rateLimits: z.strictObject({ requestsPerMinute: int.optional(), tokensPerMinute: int.optional() }),
  })),
  identity: z.array(z.strictObject({
    ...entry,
    layer: z.enum(['kubernetes', 'aws']),
    principal: z.strictObject({ kind: z.enum(['group', 'user', 'service-account', 'iam-role', 'iam-principal']), name: str }),
    level: str,
    scope: z.union([z.literal('cluster'), strings]),
    mfa: z.boolean().optional(),
    expires: str.optional(),
    reason: str.optional(),
    trust: z.strictObject({ principals: strings, conditions: z.array(condition) }).optional(),
    permissions: z.array(statement).optional(),
    managedPolicyArns: strings.optional(),
  })),
  secrets: z.array(z.strictObject({
    ...entry, store: str, name: str, atRest: atRest.optional(), kmsKey: str.optional(),
    rotation: z.strictObject({ by: z.enum(['template', 'customer', 'none']), days: int.optional(), reason: str.optional() }).optional(),
    readers: strings,
  })),
  encryption: z.array(z.strictObject({
    ...entry,
    kind: z.enum(['s3', 'rds', 'elasticache', 'ebs', 'log-group', 'secret', 'eks-secrets', 'sqs', 'cloudtrail']),
    name: str, atRest, inTransit: z.enum(['enforced', 'available', 'none']).optional(), publicAccessBlocked: z.boolean().optional(),
  })),
  retention: z.array(z.strictObject({
    ...entry, kind: z.enum(['bucket', 'log-group', 'trail']), name: str, days: int.optional(), lock: z.enum(['none', 'GOVERNANCE', 'COMPLIANCE']).optional(),
    lockDays: int.optional(), legalHold: z.boolean().optional(), versioned: z.boolean().optional(), reason: str.optional(),
  })),
  redaction: z.array(z.strictObject({ ...entry, entity: str, action: z.enum(['allow', 'mask', 'block']), enforcedBy: str })),
  hardening: z.array(z.strictObject({
    ...entry, namespace: str, pss: z.strictObject({ enforce: pss, audit: pss, warn: pss }), deviations: strings,
  })),
});

/** `network[3].ports[0].protocol` for a zod path. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out === '' ? String(seg) : `${out}.${String(seg)}`), '') || '(document)';
}

/** Validates a parsed posture.json; `PostureError` lists up to five problems, each as `<file>: <field>: <problem>`. */
export function validatePosture(doc: unknown, file: string): Posture {
  const result = schema.safeParse(doc);
  if (!result.success) {
    const issues = result.error.issues;
    const lines = issues.slice(0, 5).map((i) => {
      const where = fieldPath(i.path);
      if (i.code === 'unrecognized_keys') return `${file}: ${where}: unknown field(s) ${i.keys.join(', ')}`;
      if (i.code === 'invalid_value' && i.path.length === 1 && i.path[0] === 'schema') return `${file}: schema: expected "${POSTURE_SCHEMA}"`;
      return `${file}: ${where}: ${i.message}`;
    });
    if (issues.length > 5) lines.push(`${file}: … and ${issues.length - 5} more problem(s)`);
    throw new PostureError(`not a posture document:\n${lines.join('\n')}`);
  }
  const posture = result.data as Posture;
  const seen = new Set<string>();
  for (const section of POSTURE_SECTIONS) {
    posture[section].forEach((e, i) => {
      if (seen.has(e.key)) throw new PostureError(`not a posture document:\n${file}: ${section}[${i}].key: "${e.key}" appears more than once`);
      seen.add(e.key);
    });
  }
  return posture;
}
