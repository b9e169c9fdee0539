import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Boundary, SpecError, checkSpecFile, formatPath, formatProblem, loadSpec, type Severity, type SpecProblem } from '../../lib/spec';
import {
  EXAMPLES_DIR, FIXTURES_DIR, PUBLIC_INGRESS, TEST_NOW, baseManifest, check, errorsOf, positionOf, thrownBy, toYaml, type RawManifest,
} from './spec-fixtures';
import { BEGIN_RSA_KEY, FAKE_AWS_KEY_ID, FAKE_AWS_KEY_ID_2 } from '../helpers/fake-secrets';

/**
 * One mutation of the valid acme-prod manifest per row; each row pins the code, severity, field path, file position
 * and message of the problem it must cause, and how many errors the spec then has in total (so a mutation that
 * trips unrelated rules, or none, fails the row).
 */
interface Row {
  /** What is wrong. */
  readonly name: string;
  /** Breaks the (fresh) base manifest. */
  readonly mutate: (m: RawManifest) => void;
  /** Edits the YAML text afterwards, for what a data mutation cannot express. @default - none */
  readonly edit?: (text: string) => string;
  /** Expected code. */
  readonly code: string;
  /** @default 'error' */
  readonly severity?: Severity;
  /** Expected path, as `formatPath` renders it. */
  readonly path: string;
  /** Text the problem must point at: the offending key, or for a missing key the nearest existing one. */
  readonly at: string | RegExp;
  /** Substrings the message must contain: the bad value and the hint. */
  readonly shows: readonly string[];
  /** Total errors the mutated spec has. @default 1 for an error row, 0 for a warning row */
  readonly errors?: number;
}

/** Renames a model and every reference to it, so that only the name rule can fire. */
function renameModel(m: RawManifest, name: string): void {
  m.spec.models[0].name = name;
  m.spec.teams[0].models = [name];
}

const LONG_MODEL = 'llama-3-1-8b-instruct-fp8'; // 25 characters, one above the model limit

const ROWS: readonly Row[] = [
  // Names
  {
    name: 'boundary name with upper case',
    mutate: (m) => { m.metadata.name = 'Acme-Prod'; },
    code: 'PAB-NAME-001', path: 'metadata.name', at: 'name: Acme-Prod', shows: ['"Acme-Prod"', 'lowercase', 'at most 32'],
  },
  {
    name: 'boundary name longer than 32 characters',
    mutate: (m) => { m.metadata.name = 'acme-production-eu-central-1-main'; },
    code: 'PAB-NAME-001', path: 'metadata.name', at: 'name: acme-production-eu-central-1-main', shows: ['"acme-production-eu-central-1-main"', 'at most 32'],
  },
  {
    name: 'team name with an underscore',
    mutate: (m) => { m.spec.teams[0].name = 'research_team'; },
    code: 'PAB-NAME-001', path: 'spec.teams[0].name', at: 'name: research_team', shows: ['"research_team"', 'at most 24'],
  },
  {
    name: 'model name longer than 24 characters',
    mutate: (m) => renameModel(m, LONG_MODEL),
    code: 'PAB-NAME-001', path: 'spec.models[0].name', at: `name: ${LONG_MODEL}`, shows: [`"${LONG_MODEL}"`, 'at most 24'],
  },
  {
    name: 'GPU pool name with upper case',
    mutate: (m) => { m.spec.gpuNodePools[0].name = 'L4'; m.spec.models[0].nodePool = 'L4'; },
    code: 'PAB-NAME-001', path: 'spec.gpuNodePools[0].name', at: 'name: L4', shows: ['"L4"', 'at most 24'],
  },
  {
    name: 'duplicate team names',
    mutate: (m) => { m.spec.teams.push({ name: 'research', groups: ['acme-ml'], models: ['llama-3-1-8b'] }); },
    code: 'PAB-NAME-002', path: 'spec.teams[1].name', at: /(?<=^ {4}- )name: research$(?![\s\S]*name: research$)/m, shows: ['"research"', 'spec.teams[0]', 'unique'],
  },
  {
    name: 'duplicate GPU pool names',
    mutate: (m) => { m.spec.gpuNodePools.push({ name: 'l4', instanceTypes: ['g6.xlarge'], gpusPerNode: 1, maxNodes: 2 }); },
    code: 'PAB-NAME-002', path: 'spec.gpuNodePools[1].name', at: /(?<=- )name: l4\n {6}instanceTypes:\n {8}- g6\.xlarge/, shows: ['"l4"', 'spec.gpuNodePools[0]'],
  },

  // CIDRs
  {
    name: 'VPC CIDR that is not a CIDR',
    mutate: (m) => { m.spec.network.cidr = '10.40.0.0'; },
    code: 'PAB-NET-001', path: 'spec.network.cidr', at: 'cidr: 10.40.0.0\n', shows: ['"10.40.0.0"', 'is not an IPv4 CIDR'],
  },
  {
    name: 'VPC CIDR not aligned to its prefix',
    mutate: (m) => { m.spec.network.cidr = '10.40.1.0/16'; },
    code: 'PAB-NET-001', path: 'spec.network.cidr', at: 'cidr: 10.40.1.0/16', shows: ['"10.40.1.0/16"', 'did you mean 10.40.0.0/16?'],
  },
  {
    name: 'VPC CIDR in public address space',
    mutate: (m) => { m.spec.network.cidr = '52.94.0.0/16'; },
    code: 'PAB-NET-001', path: 'spec.network.cidr', at: 'cidr: 52.94.0.0/16', shows: ['52.94.0.0/16', 'not private address space'],
  },
  {
    name: 'consumer CIDR in public address space',
    mutate: (m) => { m.spec.network.consumers[0].cidr = '8.8.8.0/24'; },
    code: 'PAB-NET-001', path: 'spec.network.consumers[0].cidr', at: 'cidr: 8.8.8.0/24', shows: ['8.8.8.0/24', 'not private address space'],
  },
  {
    name: 'VPC prefix wider than /16',
    mutate: (m) => { m.spec.network.cidr = '10.32.0.0/12'; },
    code: 'PAB-NET-002', path: 'spec.network.cidr', at: 'cidr: 10.32.0.0/12', shows: ['10.32.0.0/12 has prefix /12', 'use /16 to /24'],
  },
  {
    name: 'overlapping consumer CIDRs',
    mutate: (m) => { m.spec.network.consumers.push({ name: 'acme-batch', cidr: '10.60.128.0/17' }); },
    code: 'PAB-NET-006', path: 'spec.network.consumers[2].cidr', at: 'cidr: 10.60.128.0/17', shows: ['10.60.128.0/17', 'overlaps consumer 0 (10.60.0.0/16)'],
  },
  {
    name: 'consumer CIDR overlapping the VPC',
    mutate: (m) => { m.spec.network.consumers[0].cidr = '10.40.128.0/20'; },
    code: 'PAB-NET-006', path: 'spec.network.consumers[0].cidr', at: 'cidr: 10.40.128.0/20', shows: ['10.40.128.0/20', 'overlaps the boundary VPC 10.40.0.0/16'],
  },
  {
    name: 'one zone too big for the VPC',
    mutate: (m) => { m.spec.network.zones.models.cidrMask = 17; },
    code: 'PAB-NET-003', path: 'spec.network.zones.models.cidrMask', at: 'cidrMask: 17', shows: ['/17 × 3 AZs does not fit in 10.40.0.0/16', 'use /18 or longer'],
  },
  {
    name: 'zones that each fit but not together',
    mutate: (m) => { m.spec.network.zones = { gateway: { cidrMask: 18 }, models: { cidrMask: 18 }, data: { cidrMask: 18 } }; },
    code: 'PAB-NET-003', path: 'spec.network.zones', at: 'zones:', shows: ['147456 addresses', 'gateway /18, models /18, data /18', '10.40.0.0/16 has 65536'],
  },

  // References and GPU placement
  {
    name: 'team calling an undeclared model',
    mutate: (m) => { m.spec.teams[0].models = ['llama-3-3-70b']; },
    code: 'PAB-REF-002', path: 'spec.teams[0].models[0]', at: 'llama-3-3-70b', shows: ['"llama-3-3-70b"', 'declared: llama-3-1-8b'],
  },
  {
    name: 'model on an undeclared pool',
    mutate: (m) => { m.spec.models[0].nodePool = 'h100'; },
    code: 'PAB-REF-001', path: 'spec.models[0].nodePool', at: 'nodePool: h100', shows: ['"h100"', 'declared: l4'],
  },
  {
    name: 'model needing more GPUs than its pool has per node',
    mutate: (m) => { m.spec.models[0].gpus = 2; },
    code: 'PAB-GPU-008', path: 'spec.models[0].gpus', at: 'gpus: 2', shows: ['2 GPUs per replica', 'pool "l4" (1 per node)', 'use ≤ 1'],
  },

  // Images
  {
    name: 'gateway image by tag only',
    mutate: (m) => { m.spec.gateway.image = 'ghcr.io/berriai/litellm-database:v1.74.3-stable'; },
    code: 'PAB-IMG-001', path: 'spec.gateway.image', at: 'image: ghcr.io/berriai/litellm-database:v1.74.3-stable\n', shows: ['"ghcr.io/berriai/litellm-database:v1.74.3-stable"', '@sha256:<digest>'],
  },
  {
    name: 'model image :latest',
    mutate: (m) => { m.spec.models[0].image = 'vllm/vllm-openai:latest'; },
    code: 'PAB-IMG-001', path: 'spec.models[0].image', at: 'image: vllm/vllm-openai:latest', shows: ['"vllm/vllm-openai:latest"', 'not pinned by digest'],
  },
  {
    name: 'presidio image with a short digest',
    mutate: (m) => { m.spec.gateway.presidio.analyzerImage = 'mcr.microsoft.com/presidio-analyzer:2.2.358@sha256:19e3ecaf'; },
    code: 'PAB-IMG-001', path: 'spec.gateway.presidio.analyzerImage', at: 'analyzerImage:', // `show` cuts long values at 60 characters; the position says which image it is.
    shows: ['"mcr.microsoft.com/presidio-analyzer:2.2.358@sha256:19e3e...', 'the digest must be sha256 with 64 lowercase hex digits'],
  },
  {
    name: 'presidio anonymizer image by tag only',
    mutate: (m) => { m.spec.gateway.presidio.anonymizerImage = 'mcr.microsoft.com/presidio-anonymizer:2.2.358'; },
    code: 'PAB-IMG-001', path: 'spec.gateway.presidio.anonymizerImage', at: 'anonymizerImage:', shows: ['"mcr.microsoft.com/presidio-anonymizer:2.2.358"'],
  },

  // Access
  {
    name: 'expired grant',
    mutate: (m) => { m.spec.access.grants[0].expires = '2026-11-01'; },
    code: 'PAB-ACC-006', path: 'spec.access.grants[0].expires', at: 'expires: 2026-11-01', shows: ['2026-11-01 has passed'],
  },
  {
    name: 'grant ending today at midnight (last day was yesterday)',
    mutate: (m) => { m.spec.access.grants[0].expires = '2026-11-21'; },
    code: 'PAB-ACC-006', path: 'spec.access.grants[0].expires', at: 'expires: 2026-11-21', shows: ['2026-11-21 has passed'],
  },
  {
    name: 'grant expiring in less than 14 days (warning only)',
    mutate: (m) => { m.spec.access.grants[0].expires = '2026-11-30'; },
    code: 'PAB-ACC-006', severity: 'warning', path: 'spec.access.grants[0].expires', at: 'expires: 2026-11-30', shows: ['2026-11-30', 'expires in 9 day(s)'],
  },
  {
    name: 'grant more than a year away',
    mutate: (m) => { m.spec.access.grants[0].expires = '2028-01-31'; },
    code: 'PAB-ACC-007', path: 'spec.access.grants[0].expires', at: 'expires: 2028-01-31', shows: ['2028-01-31', 'at most 366 days'],
  },
  {
    name: 'edit grant (warning only: it can read the boundary Secrets)',
    mutate: (m) => { m.spec.access.grants[0].level = 'edit'; },
    code: 'PAB-ACC-008', severity: 'warning', path: 'spec.access.grants[0].level', at: 'level: edit',
    shows: ['edit can read Secrets in the boundary namespaces, including the gateway master key'],
  },
  {
    name: 'admin grant (warning only: it can read the boundary Secrets)',
    mutate: (m) => { m.spec.access.grants[0].level = 'admin'; },
    code: 'PAB-ACC-008', severity: 'warning', path: 'spec.access.grants[0].level', at: 'level: admin',
    shows: ['admin can read Secrets in the boundary namespaces, including the gateway master key'],
  },
  {
    name: 'second grant to the same IAM role spelled in another case (IAM names are case-insensitive)',
    mutate: (m) => { m.spec.access.grants.push({ ...m.spec.access.grants[0], principal: 'arn:aws:iam::111122223333:role/Vendor-Support' }); },
    code: 'PAB-ACC-003', path: 'spec.access.grants[1].principal', at: 'principal: arn:aws:iam::111122223333:role/Vendor-Support',
    shows: ['same Kubernetes group or RoleBinding as grants[0]', 'arn:aws:iam::111122223333:role/vendor-support'],
  },
  {
    name: 'second grant whose ARN differs only in partition (same account, same group)',
    mutate: (m) => { m.spec.access.grants.push({ ...m.spec.access.grants[0], principal: 'arn:aws-us-gov:iam::111122223333:role/vendor-support' }); },
    code: 'PAB-ACC-003', path: 'spec.access.grants[1].principal', at: 'principal: arn:aws-us-gov:', shows: ['same Kubernetes group or RoleBinding as grants[0]'],
  },
  {
    name: 'break-glass without MFA',
    mutate: (m) => { m.spec.access.breakGlass.requireMfa = false; },
    code: 'PAB-ACC-002', path: 'spec.access.breakGlass.requireMfa', at: 'requireMfa: false', shows: ['false is not allowed', 'MFA'],
  },

  // GPU pools
  {
    name: 'minNodes on a Karpenter pool (warning only: Karpenter keeps no minimum)',
    mutate: (m) => { Object.assign(m.spec.gpuNodePools[0], { provisioner: 'karpenter', amiAlias: 'al2023@v20251117', minNodes: 1 }); },
    code: 'PAB-GPU-014', severity: 'warning', path: 'spec.gpuNodePools[0].minNodes', at: 'minNodes: 1', shows: ['1 is ignored', 'on demand', 'managed-node-group'],
  },

  // Public ingress: each prerequisite missing in turn from an otherwise valid public configuration
  {
    name: 'public ingress with waf: false',
    mutate: (m) => { Object.assign(m.spec.network, PUBLIC_INGRESS, { waf: false }); },
    code: 'PAB-NET-007', path: 'spec.network.waf', at: 'waf: false', shows: ['waf: true'],
  },
  {
    name: 'public ingress with a WAF ACL of another region',
    mutate: (m) => { Object.assign(m.spec.network, PUBLIC_INGRESS, { wafAclArn: PUBLIC_INGRESS.wafAclArn.replace('eu-central-1', 'us-east-1') }); },
    code: 'PAB-NET-007', path: 'spec.network.wafAclArn', at: 'wafAclArn:', shows: ['region us-east-1', 'own region (eu-central-1)'],
  },
  {
    name: 'audit bucket in another region than the boundary',
    mutate: (m) => { m.spec.audit.bucketRegion = 'us-west-2'; },
    code: 'PAB-AUD-009', path: 'spec.audit.bucketRegion', at: 'bucketRegion:', shows: ['"us-west-2"', 'no internet path', 'S3 replication'],
  },
  {
    name: 'public ingress with a malformed WAF ACL ARN',
    mutate: (m) => { Object.assign(m.spec.network, PUBLIC_INGRESS, { wafAclArn: 'arn:aws:wafv2:eu-central-1:111122223333:global/webacl/x/y' }); },
    code: 'PAB-NET-007', path: 'spec.network.wafAclArn', at: 'wafAclArn:', shows: ['"arn:aws:wafv2:eu-central-1:111122223333:global/webacl/x/y"', 'regional WAFv2'],
  },
  {
    name: 'public ingress without a TLS certificate',
    mutate: (m) => { Object.assign(m.spec.network, PUBLIC_INGRESS); delete m.spec.network.tlsCertificateArn; },
    code: 'PAB-NET-007', path: 'spec.network.tlsCertificateArn', at: /(?<=^ {2})network:/m, shows: ['(missing)', 'ACM certificate'],
  },
  {
    name: 'public ingress without a reason',
    mutate: (m) => { Object.assign(m.spec.network, PUBLIC_INGRESS); delete m.spec.network.publicIngressReason; },
    code: 'PAB-NET-007', path: 'spec.network.publicIngressReason', at: /(?<=^ {2})network:/m, shows: ['requires a reason'],
  },

  // Audit
  {
    name: 'retention below 365 days without a reason',
    mutate: (m) => { m.spec.audit.retentionDays = 180; },
    code: 'PAB-AUD-002', path: 'spec.audit.retentionDays', at: 'retentionDays: 180', shows: ['180 days is below 365', 'audit.reason'],
  },
  {
    name: 'audit sink CIDRs on AWS (warning only: the VPC endpoints in the data zone are used)',
    mutate: (m) => { m.spec.audit.sinkCidrs = ['10.99.0.0/24']; },
    code: 'PAB-AUD-006', severity: 'warning', path: 'spec.audit.sinkCidrs', at: 'sinkCidrs:', shows: ['is ignored', 'VPC interface endpoints', 'data-zone subnets'],
  },
  {
    name: 'Object Lock off without a reason',
    mutate: (m) => { m.spec.audit.objectLock = 'none'; },
    code: 'PAB-AUD-003', path: 'spec.audit.objectLock', at: 'objectLock: none', shows: ['none leaves audit logs deletable'],
  },

  // Structure
  {
    name: 'unknown field (typo)',
    mutate: (m) => { delete m.spec.gateway.replicas; m.spec.gateway.replica = 2; },
    code: 'PAB-SCHEMA-003', path: 'spec.gateway.replica', at: 'replica: 2', shows: ['unknown field', 'did you mean "replicas"?'],
  },
  {
    name: 'consumer namespace that is a zone namespace of the boundary',
    mutate: (m) => { m.spec.network.consumers[1].namespace = 'acme-prod-models'; },
    code: 'PAB-NET-005', path: 'spec.network.consumers[1].namespace', at: 'namespace: acme-prod-models', shows: ['"acme-prod-models"', 'outside it'],
  },
  {
    name: 'CIDR consumers on the internal load balancer without TLS',
    mutate: (m) => { delete m.spec.network.tlsCertificateArn; },
    code: 'PAB-NET-012', severity: 'warning', path: 'spec.network.tlsCertificateArn', at: /(?<=^ {2})network:/m, shows: ['plain TCP', 'certificate'],
  },
  {
    name: 'internal load balancer certificate that is not an ACM ARN',
    mutate: (m) => { m.spec.network.tlsCertificateArn = 'arn:aws:iam::111122223333:server-certificate/gw'; },
    code: 'PAB-NET-007', path: 'spec.network.tlsCertificateArn', at: 'tlsCertificateArn: arn:aws:iam', shows: ['not an ACM certificate ARN'],
  },
  {
    name: 'unknown field with a case slip',
    mutate: (m) => { m.spec.network.consumers[0].CIDR = m.spec.network.consumers[0].cidr; delete m.spec.network.consumers[0].cidr; },
    code: 'PAB-SCHEMA-003', path: 'spec.network.consumers[0].CIDR', at: 'CIDR: 10.60.0.0/16', shows: ['did you mean "cidr"?', 'allowed here: name, cidr, namespace'],
    // The value rules still run without the unknown field: the consumer now has neither cidr nor namespace (PAB-NET-004).
    errors: 2,
  },
  {
    name: 'number where a string is expected',
    mutate: (m) => { m.spec.kubernetes.version = 1.32; },
    code: 'PAB-SCHEMA-001', path: 'spec.kubernetes.version', at: 'version: 1.32', shows: ['1.32 is a number', 'expected string', 'quote it in YAML: "1.32"'],
  },
  {
    name: 'number where a string is expected, written with a trailing zero',
    mutate: () => undefined,
    edit: (text) => text.replace('version: "1.32"', 'version: 1.30'),
    // YAML reads 1.30 as 1.3: the hint must repeat what was written, or quoting "1.3" leads to PAB-K8S-001.
    code: 'PAB-SCHEMA-001', path: 'spec.kubernetes.version', at: 'version: 1.30', shows: ['is a number', 'quote it in YAML: "1.30"'],
  },
  {
    name: 'AWS account id as a number',
    mutate: (m) => { m.spec.aws.account = 111122223333; },
    code: 'PAB-SCHEMA-001', path: 'spec.aws.account', at: 'account: 111122223333', shows: ['111122223333 is a number', 'quote it in YAML: "111122223333"'],
  },
  {
    name: 'missing required field',
    mutate: (m) => { delete m.spec.gateway.image; },
    code: 'PAB-SCHEMA-002', path: 'spec.gateway.image', at: /(?<=^ {2})gateway:/m, shows: ['required field is missing', 'expected string'],
  },
  {
    name: 'missing required field in a list item',
    mutate: (m) => { delete m.spec.models[0].nodePool; },
    code: 'PAB-SCHEMA-002', path: 'spec.models[0].nodePool', at: 'name: llama-3-1-8b', shows: ['required field is missing'],
  },
  {
    name: 'missing enum field',
    mutate: (m) => { delete m.spec.gateway.engine; },
    code: 'PAB-SCHEMA-002', path: 'spec.gateway.engine', at: /(?<=^ {2})gateway:/m, shows: ['required field is missing', 'use "litellm"'],
  },
  {
    name: 'missing apiVersion',
    mutate: (m) => { delete m.apiVersion; },
    code: 'PAB-SCHEMA-002', path: 'apiVersion', at: 'kind: Boundary', shows: ['required field is missing', 'use "private-ai-boundary/v1"'],
  },
  {
    name: 'value outside an enum',
    mutate: (m) => { m.spec.secrets.store = 'aws-secret-manager'; },
    code: 'PAB-SCHEMA-004', path: 'spec.secrets.store', at: 'store: aws-secret-manager', shows: ['"aws-secret-manager" is not allowed', '"aws-secrets-manager" | "vault" | "existing-cluster-store"'],
  },
  {
    name: 'list where a map is expected',
    mutate: (m) => { m.spec.resilience = [60, 15]; },
    code: 'PAB-SCHEMA-001', path: 'spec.resilience', at: 'resilience:', shows: ['[60,15] is a list', 'expected object'],
  },
];

describe('each bad input is refused with code, path, position and message', () => {
  test.each(ROWS)('$name → $code at $path', (row) => {
    const m = baseManifest();
    row.mutate(m);
    const text = (row.edit ?? String)(toYaml(m));
    const checked = check(text);
    const severity = row.severity ?? 'error';

    const found = checked.problems.filter((p) => p.code === row.code && formatPath(p.path) === row.path);
    expect(found.map(formatProblem)).toHaveLength(1);
    const [p] = found;
    expect(p.severity).toBe(severity);
    expect(p.location).toEqual({ file: 'fixture.yaml', ...positionOf(text, row.at) });
    for (const part of row.shows) expect(p.message).toContain(part);

    const errors = row.errors ?? (severity === 'error' ? 1 : 0);
    expect(errorsOf(checked.problems).map(formatProblem)).toHaveLength(errors);
    expect(checked.spec === undefined).toBe(errors > 0);
  });

  test.each(ROWS)('$name: the JSON form reports the same problems', (row) => {
    const m = baseManifest();
    row.mutate(m);
    const strip = (ps: readonly SpecProblem[]): string[] => ps.map((p) => `${p.severity} ${formatPath(p.path)} [${p.code}]: ${p.message}`).sort();
    const fromYaml = check(toYaml(m));
    const fromJson = check(JSON.stringify(m, null, 2), 'fixture.json');
    expect(strip(fromJson.problems)).toEqual(strip(fromYaml.problems));
    expect(fromJson.problems.every((p) => p.location?.file === 'fixture.json' && p.location.line >= 1)).toBe(true);
  });

  test('the formatted problem carries file:line:col, path, code and message (STYLE.md "Errors")', () => {
    const m = baseManifest();
    m.spec.network.zones.models.cidrMask = 12;
    const text = toYaml(m);
    const { line, col } = positionOf(text, 'cidrMask: 12');
    const lines = check(text).problems.map(formatProblem);
    expect(lines).toContain(`fixture.yaml:${line}:${col} spec.network.zones.models.cidrMask [PAB-NET-003]: /12 is out of range — use /16 to /28`);
  });
});

describe('weaker-than-default choices are accepted when they carry a reason', () => {
  test('retention below 365 days with a reason is valid', () => {
    const m = baseManifest();
    m.spec.audit.retentionDays = 180;
    m.spec.audit.reason = 'Sandbox with synthetic data only (SEC-9)';
    const checked = check(toYaml(m));
    expect(checked.problems).toEqual([]);
    expect(checked.spec?.audit.retentionDays).toBe(180);
  });

  test('Object Lock off with a reason is valid', () => {
    const m = baseManifest();
    m.spec.audit.objectLock = 'none';
    m.spec.audit.reason = 'Logs are replicated to a locked bucket (SEC-10)';
    const checked = check(toYaml(m));
    expect(checked.problems).toEqual([]);
    expect(checked.spec?.audit.objectLock).toBe('none');
  });

  test('a one-word reason does not count as a reason', () => {
    const m = baseManifest();
    m.spec.audit.retentionDays = 180;
    m.spec.audit.reason = 'because';
    expect(errorsOf(check(toYaml(m)).problems).map((p) => p.code)).toEqual(['PAB-AUD-002']);
  });

  test('public ingress with every prerequisite is valid and gets public subnets', () => {
    const m = baseManifest();
    Object.assign(m.spec.network, PUBLIC_INGRESS);
    const checked = check(toYaml(m));
    expect(checked.problems).toEqual([]);
    expect(checked.spec?.network.ingress).toBe('public');
  });
});

/** Secret-looking values in various places; several sit where another rule would echo a bad value. */
const SECRETS: readonly { name: string; secret: string; put: (m: RawManifest, s: string) => void; path: string; at: string | RegExp; kind: string; errors: number }[] = [
  {
    name: 'AWS access key id in a label',
    secret: FAKE_AWS_KEY_ID,
    put: (m, s) => { m.metadata.labels = { 'ci-user': s }; },
    path: 'metadata.labels.ci-user', at: 'ci-user:', kind: 'an AWS access key id', errors: 1,
  },
  {
    name: 'OpenAI-style sk- key as a team group',
    secret: 'sk-proj-Q3ZhbGx5TWlzdGFrZW5LZXk0Mg',
    put: (m, s) => { m.spec.teams[0].groups = [s]; },
    path: 'spec.teams[0].groups[0]', at: 'sk-proj-', kind: 'an API key (sk-...)', errors: 1,
  },
  {
    name: 'private key as a secret owner (the owner rule also refuses it)',
    secret: `${BEGIN_RSA_KEY}\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n-----END RSA PRIVATE KEY-----\n`,
    put: (m, s) => { m.spec.secrets.items[0].owner = s; },
    path: 'spec.secrets.items[0].owner', at: 'owner: |', kind: 'a private key', errors: 2,
  },
  {
    name: 'Hugging Face token as model weights (the weights rule also refuses it)',
    secret: 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
    put: (m, s) => { m.spec.models[0].weights = s; },
    path: 'spec.models[0].weights', at: 'weights: hf_', kind: 'a Hugging Face token', errors: 2,
  },
  {
    name: 'URL with credentials as the OIDC issuer',
    secret: 'https://admin:Winter2026!@idp.acme.example',
    put: (m, s) => { m.spec.kubernetes.oidc.issuerUrl = s; },
    path: 'spec.kubernetes.oidc.issuerUrl', at: 'issuerUrl:', kind: 'credentials in a URL', errors: 1,
  },
  {
    name: 'URL with credentials as the gateway image (the image rule also refuses it)',
    secret: 'https://deploy:Xk9vQ2mPzL@registry.acme.example/litellm',
    put: (m, s) => { m.spec.gateway.image = s; },
    path: 'spec.gateway.image', at: /(?<=^ {4})image: https/m, kind: 'credentials in a URL', errors: 2,
  },
  {
    name: 'a password field next to the store (also an unknown field)',
    secret: 'correct-horse-battery',
    put: (m, s) => { m.spec.secrets.password = s; },
    path: 'spec.secrets.password', at: 'password:', kind: '"password" carries a value', errors: 2,
  },
  {
    name: 'a field named like a credential inside labels',
    secret: 'tr0ub4dor-and-3',
    put: (m, s) => { m.metadata.labels = { 'registry-token': s }; },
    path: 'metadata.labels.registry-token', at: 'registry-token:', kind: '"registry-token" carries a value', errors: 1,
  },
  {
    name: 'high-entropy string as a consumer namespace (the namespace rule also refuses it)',
    secret: 'q8Zt3Lx9Vr2Kp7Wm4Nc6Hy1Bd5',
    put: (m, s) => { m.spec.network.consumers[1].namespace = s; },
    path: 'spec.network.consumers[1].namespace', at: 'namespace: q8Z', kind: 'a random credential', errors: 2,
  },
  {
    name: 'high-entropy string as a redaction entity (the entity rule also refuses it)',
    secret: 'Zq7Xw2Pv9Lm4Kc8Rt3Hb6Ny5Jd',
    put: (m, s) => { m.spec.gateway.redaction[0].entities[0] = s; },
    path: 'spec.gateway.redaction[0].entities[0]', at: /(?<=- )Zq7X/, kind: 'a random credential', errors: 2,
  },
  {
    name: 'AWS access key id as a duplicated redaction entity (the duplicate rule names entities unquoted)',
    secret: FAKE_AWS_KEY_ID_2,
    put: (m, s) => { m.spec.gateway.redaction[0].entities[0] = s; m.spec.gateway.redaction[1].entities[0] = s; },
    path: 'spec.gateway.redaction[0].entities[0]', at: new RegExp(`(?<=- )${FAKE_AWS_KEY_ID_2}`), kind: 'an AWS access key id', errors: 3,
  },
  {
    name: 'sk- key as a model name (a team reference error lists the declared model names)',
    secret: 'sk-live-4f8a2c9e1b7d3a6c',
    put: (m, s) => { m.spec.models[0].name = s; },
    path: 'spec.models[0].name', at: 'name: sk-live-', kind: 'an API key (sk-...)', errors: 2,
  },
  {
    name: 'a password label whose value is also an invalid label value',
    secret: 'Open Sesame 42',
    put: (m, s) => { m.metadata.labels = { password: s }; },
    path: 'metadata.labels.password', at: 'password:', kind: '"password" carries a value', errors: 2,
  },
];

/** Every 8-character window of the secret that occurs in `text` (JSON-escaped too, as `show` renders values). */
function echoed(text: string, secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  const hits = new Set<string>();
  for (const form of forms) {
    for (let i = 0; i + 8 <= form.length; i++) if (text.includes(form.slice(i, i + 8))) hits.add(form.slice(i, i + 8));
  }
  return [...hits];
}

describe('secret-looking values are refused and never echoed', () => {
  test.each(SECRETS)('$name', (row) => {
    const m = baseManifest();
    row.put(m, row.secret);
    const text = toYaml(m);
    const checked = check(text);

    const found = checked.problems.filter((p) => p.code === 'PAB-SEC-001' && formatPath(p.path) === row.path);
    expect(found.map(formatProblem)).toHaveLength(1);
    expect(found[0].severity).toBe('error');
    expect(found[0].location).toEqual({ file: 'fixture.yaml', ...positionOf(text, row.at) });
    expect(found[0].message).toContain(row.kind);
    expect(found[0].message).toContain(`${row.secret.length} characters`);
    expect(errorsOf(checked.problems).map(formatProblem)).toHaveLength(row.errors);
    expect(checked.spec).toBeUndefined();

    // Nothing the user sees repeats any part of the value: not this problem, not another rule's, not the thrown error.
    expect(echoed(checked.problems.map(formatProblem).join('\n'), row.secret)).toEqual([]);
    const err = thrownBy(() => Boundary.fromManifest(m as never, { now: TEST_NOW }));
    expect(err).toBeInstanceOf(SpecError);
    expect(echoed((err as Error).message, row.secret)).toEqual([]);
  });
});

describe('YAML syntax', () => {
  const acme = (): string => toYaml(baseManifest());

  test('a syntax error is PAB-YAML-001 at its line', () => {
    const text = acme().replace('    ingress: private\n', '    ingress: private: yes\n');
    const checked = check(text);
    expect(checked.spec).toBeUndefined();
    expect(checked.problems.map((p) => `${p.severity} ${p.code} ${p.location?.line}`)).toEqual([
      `error PAB-YAML-001 ${positionOf(text, 'ingress: private: yes').line}`,
    ]);
    expect(checked.problems[0].message).toMatch(/nested mappings/i);
  });

  test('a mis-indented key is PAB-YAML-001 at its line', () => {
    const text = acme().replace('    rotationDays: 30\n', '   rotationDays: 30\n');
    const checked = check(text);
    expect(checked.problems.map((p) => p.code)).toContain('PAB-YAML-001');
    expect(checked.problems[0].location?.line).toBe(positionOf(text, '   rotationDays').line);
  });

  test('a tab used for indentation is PAB-YAML-001 at its line', () => {
    const text = acme().replace('    rotationDays: 30\n', '\trotationDays: 30\n');
    const checked = check(text);
    expect(checked.problems.map((p) => p.code)).toContain('PAB-YAML-001');
    expect(checked.problems.map((p) => p.location?.line)).toContain(positionOf(text, '\trotationDays').line);
  });

  test('a duplicate key is PAB-YAML-001 at the second occurrence', () => {
    const text = acme().replace('    replicas: 2\n', '    replicas: 2\n    replicas: 3\n');
    const checked = check(text);
    expect(checked.spec).toBeUndefined();
    expect(checked.problems).toEqual([
      expect.objectContaining({ code: 'PAB-YAML-001', severity: 'error', location: { file: 'fixture.yaml', ...positionOf(text, 'replicas: 3') } }),
    ]);
    expect(checked.problems[0].message).toMatch(/unique/i);
  });
});

describe('empty document', () => {
  const EMPTY = { code: 'PAB-SCHEMA-002', severity: 'error', path: [], message: 'the document is empty — expected a Boundary (apiVersion, kind, metadata, spec)' };

  test.each([
    ['an empty file', ''],
    ['only whitespace', '\n\n   \n'],
    ['only comments', '# acme boundary, to be written\n# owner: sec@acme.example\n'],
    ['an explicit null', '~\n'],
    ['a document marker only', '---\n'],
  ])('%s is PAB-SCHEMA-002 at 1:1, saying what is expected', (_name, text) => {
    const checked = check(text);
    expect(checked.spec).toBeUndefined();
    expect(checked.problems).toEqual([{ ...EMPTY, location: { file: 'fixture.yaml', line: 1, col: 1 } }]);
    expect(checked.problems.map(formatProblem)).toEqual([`fixture.yaml:1:1 (document) [PAB-SCHEMA-002]: ${EMPTY.message}`]);
  });

  test('Boundary.fromManifest of nothing throws the same problem', () => {
    for (const nothing of [null, undefined]) {
      const err = thrownBy(() => Boundary.fromManifest(nothing as never, { now: TEST_NOW }));
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).problems).toEqual([EMPTY]);
    }
  });
});

describe('every problem is reported at once', () => {
  /** Six independent value mistakes; none hides another. */
  function sixMistakes(): RawManifest {
    const m = baseManifest();
    m.metadata.name = 'Acme_Prod';
    m.spec.network.cidr = '10.40.0.1/16';
    m.spec.models[0].image = 'vllm/vllm-openai:v0.8.5';
    m.spec.access.breakGlass.requireMfa = false;
    m.spec.access.grants[0].expires = '2026-01-31';
    m.spec.audit.retentionDays = 30;
    return m;
  }
  const EXPECTED = [
    'metadata.name [PAB-NAME-001]',
    'spec.network.cidr [PAB-NET-001]',
    'spec.models[0].image [PAB-IMG-001]',
    'spec.access.breakGlass.requireMfa [PAB-ACC-002]',
    'spec.access.grants[0].expires [PAB-ACC-006]',
    'spec.audit.retentionDays [PAB-AUD-002]',
  ];

  test('checkSpecText returns all of them, in document order', () => {
    const errors = errorsOf(check(toYaml(sixMistakes())).problems);
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(errors.map((p) => `${formatPath(p.path)} [${p.code}]`)).toEqual(EXPECTED);
    const lines = errors.map((p) => p.location?.line ?? 0);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  test('structural mistakes are all reported too, with the secret scan', () => {
    const m = baseManifest();
    delete m.spec.gateway.engine;
    m.spec.network.consumers[0].cidrs = ['10.60.0.0/16'];
    m.spec.secrets.store = 'kms';
    m.spec.availabilityZones = '3';
    m.metadata.labels = { 'api-key': 'abc123abc123' };
    const codes = errorsOf(check(toYaml(m)).problems).map((p) => `${formatPath(p.path)} [${p.code}]`).sort();
    expect(codes).toEqual([
      'metadata.labels.api-key [PAB-SEC-001]',
      'spec.availabilityZones [PAB-SCHEMA-001]',
      'spec.gateway.engine [PAB-SCHEMA-002]',
      'spec.network.consumers[0].cidrs [PAB-SCHEMA-003]',
      'spec.secrets.store [PAB-SCHEMA-004]',
    ]);
  });

  test('Boundary.fromManifest throws one SpecError whose message lists every problem', () => {
    const err = thrownBy(() => Boundary.fromManifest(sixMistakes() as never, { now: TEST_NOW }));
    expect(err).toBeInstanceOf(SpecError);
    const specError = err as SpecError;
    expect(specError.message.split('\n')[0]).toBe('Acme_Prod: 6 problems');
    for (const entry of EXPECTED) expect(specError.message).toContain(entry);
    expect(errorsOf(specError.problems)).toHaveLength(6);
  });

  test('a fixture file with marked mistakes gets each one at its marked line', () => {
    const file = join(FIXTURES_DIR, 'many-mistakes.yaml');
    const checked = checkSpecFile(file, { now: TEST_NOW });
    const text = readFileSync(file, 'utf8');
    // Each marked line carries `# expect: <code>`; every error must be marked and every mark must be hit.
    const marks = text.split('\n').flatMap((l, i) => [...l.matchAll(/# expect: (PAB-[A-Z]+-\d{3})/g)].map((mm) => `${i + 1} ${mm[1]}`));
    const got = errorsOf(checked.problems).map((p) => `${p.location?.line} ${p.code}`);
    expect(marks.length).toBeGreaterThanOrEqual(5);
    expect(got.sort()).toEqual(marks.sort());
    expect(checked.problems.every((p) => p.location?.file === file)).toBe(true);
  });
});

describe('files', () => {
  test('loadSpec on a missing file throws PAB-FILE-001', () => {
    const file = join(EXAMPLES_DIR, 'no-such-customer.yaml');
    const err = thrownBy(() => loadSpec(file, { now: TEST_NOW }));
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).problems).toEqual([
      { code: 'PAB-FILE-001', severity: 'error', path: [], message: 'file not found', location: { file, line: 1, col: 1 } },
    ]);
    expect((err as SpecError).message).toContain(`${file}:1:1 (document) [PAB-FILE-001]: file not found`);
  });

  test('loadSpec on an example returns the resolved spec and its warnings', () => {
    const loaded = loadSpec(join(EXAMPLES_DIR, 'acme-prod.yaml'), { now: TEST_NOW });
    expect(loaded.spec.name).toBe('acme-prod');
    expect(loaded.warnings).toEqual([]);
  });
});
