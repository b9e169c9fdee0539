import { diffPostures, DIFF_FORMATS, DIFF_SCHEMA, formatDiff, formatJson, formatMarkdown, formatSarif, formatText, type DiffReport } from '../../../lib/posture/diff';
import { access, allow, allPorts, cidr, grant, hardening, internet, MFA, posture, redaction, retention, role, rule, secret, tcp } from './builders';

const NOW = new Date('2026-11-22T12:00:00Z');
const CONSUMERS = 'network/kubernetes/acme-prod-gateway/NetworkPolicy/allow-consumers/ingress';

/**
 * A realistic review: one path opened to the internet (acknowledged), a team limit raised, a grant widened, retention
 * shortened, another KMS key; a security group tightened, an IAM statement scoped with MFA, redaction strengthened.
 */
function realistic(failOn: 'broadening' | 'never' = 'broadening'): DiffReport {
  const before = posture([
    rule({ peers: [cidr('10.60.0.0/16')], ports: [tcp(4000)] }),
    rule({ key: 'network/aws/SecurityGroup/GatewaySg/ingress', layer: 'aws', mechanism: 'SecurityGroup', subject: { kind: 'security-group', name: 'GatewaySg' }, peers: [cidr('0.0.0.0/0')], ports: [allPorts], public: true }),
    access(), retention(), redaction(), hardening(),
    role({ permissions: [allow(['s3:PutObject'], ['*'])] }),
    grant(), secret(),
  ]);
  const after = posture([
    rule({ peers: [internet], ports: [tcp(4000)], public: true }),
    rule({ key: 'network/aws/SecurityGroup/GatewaySg/ingress', layer: 'aws', mechanism: 'SecurityGroup', subject: { kind: 'security-group', name: 'GatewaySg' }, peers: [cidr('10.0.0.0/16')], ports: [tcp(443)], public: false }),
    access({ rateLimits: { requestsPerMinute: 1200, tokensPerMinute: 500000 } }),
    retention({ days: 90, lock: 'GOVERNANCE', reason: 'staging' }),
    redaction({ action: 'block' }), hardening({ evidence: [{ source: 'kubernetes', ref: 'Namespace/acme-prod-gateway-2' }] }),
    role({ permissions: [allow(['s3:PutObject'], ['arn:aws:s3:::acme-audit/gateway/*'], [MFA])] }),
    grant({ level: 'edit' }), secret({ kmsKey: 'alias/other' }),
  ]);
  return diffPostures(before, after, {
    failOn, now: NOW,
    acknowledgements: [{ key: CONSUMERS, reason: 'public demo', ticket: 'SEC-42', expires: '2026-12-31', location: { file: 'acks.yaml', line: 2, col: 5 } }],
  });
}

describe('text format', () => {
  const text = formatText(realistic());

  test('opens with the counts and the verdict, then the broadening changes with keys, then the rest by area', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('security diff acme-prod: 4 broadening (1 acknowledged) · 1 undetermined · 3 narrowing · 1 neutral');
    expect(lines[1]).toBe('FAIL --fail-on broadening: 3 broadening changes not acknowledged');
    expect(lines.indexOf('Broadening')).toBeLessThan(lines.indexOf('By area'));
    expect(text).toContain(`key ${CONSUMERS}  [acknowledged SEC-42 until 2026-12-31]`);
    expect(text).toContain('  secrets\n    undetermined');
  });

  test('fits one screen for a realistic change set and has no ANSI codes unless asked', () => {
    expect(text.split('\n').length).toBeLessThanOrEqual(50);
    expect(text).not.toMatch(/\u001b\[/);
    expect(formatText(realistic(), { color: true })).toMatch(/\u001b\[31mbroadening/);
  });

  test('neutral changes are counted, and listed only when asked', () => {
    expect(text).toContain('1 neutral change (purpose texts, evidence references, equal sets) not listed');
    expect(formatText(realistic(), { showNeutral: true })).toContain('neutral      hardening/acme-prod-gateway: only its evidence references changed');
  });

  test('the same widening on several entries is said once, with every key', () => {
    const logGroup = (name: string) => retention({ key: `retention/log-group/${name}`, kind: 'log-group', name, lock: undefined, lockDays: undefined, legalHold: undefined, versioned: undefined });
    const shorter = (name: string) => ({ ...logGroup(name), days: 90 });
    const report = diffPostures(posture([logGroup('a'), logGroup('b'), logGroup('c')]), posture([shorter('a'), shorter('b'), shorter('c')]), { now: NOW });
    expect(formatText(report).split('\n').slice(2, 7)).toEqual([
      'Broadening',
      '  broadening   retention    retention: 400 days → 90 days (weaker) (3 entries)',
      '                            key retention/log-group/a',
      '                            key retention/log-group/b',
      '                            key retention/log-group/c',
    ]);
  });

  test('an empty diff says so', () => {
    expect(formatText(diffPostures(posture([rule()]), posture([rule()]), { now: NOW }))).toBe('security diff acme-prod: 0 broadening · 0 undetermined · 0 narrowing · 0 neutral\nno change to the posture\n');
  });
});

describe('json format', () => {
  test('is stable, parses, and carries every change with its entries', () => {
    const [a, b] = [formatJson(realistic()), formatJson(realistic())];
    expect(a).toBe(b);
    const doc = JSON.parse(a);
    expect(Object.keys(doc)).toEqual(['schema', 'before', 'after', 'failOn', 'failed', 'counts', 'changes', 'acknowledgements', 'warnings']);
    expect(doc.schema).toBe(DIFF_SCHEMA);
    expect(doc.counts).toEqual({ broadening: 4, undetermined: 1, narrowing: 3, neutral: 1, acknowledgedBroadening: 1 });
    const consumers = doc.changes.find((c: any) => c.key === CONSUMERS);
    expect(consumers).toMatchObject({ kind: 'broadening', blocking: false, acknowledgement: { ticket: 'SEC-42', status: 'active', location: 'acks.yaml:2:5' } });
    expect(consumers.after.peers).toEqual([{ kind: 'internet' }]);
  });
});

describe('markdown format', () => {
  const md = formatMarkdown(realistic());

  test('has a title, the counts, a caution alert and a review table', () => {
    expect(md.startsWith('### Security diff `acme-prod`\n\n**4 broadening (1 acknowledged) · 1 undetermined · 3 narrowing · 1 neutral**')).toBe(true);
    expect(md).toContain('> [!CAUTION]\n> FAIL --fail-on broadening: 3 broadening changes not acknowledged');
    expect(md).toContain('| kind | area | change | key | acknowledgement |\n|---|---|---|---|---|');
    expect(md).toContain(`| broadening | network | ingress to pods acme-prod-gateway{app=gateway}: 10.60.0.0/16 → internet | \`${CONSUMERS}\` | acknowledged SEC-42 until 2026-12-31 |`);
  });

  test('every table row has the same number of cells (pipes in values are escaped)', () => {
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    const cells = (row: string): number => row.replace(/\\\|/g, '').split('|').length;
    expect(new Set(rows.map(cells))).toEqual(new Set([7]));
  });

  test('folds details and neutral changes', () => {
    expect(md).toContain('<details><summary>What widened or could not be compared</summary>');
    expect(md).toContain('<details><summary>1 neutral change</summary>');
  });
});

/** The SARIF 2.1.0 fields a consumer requires (sarif-v2.1.0 §3.13 sarifLog, §3.14 run, §3.19 toolComponent, §3.27 result). */
function sarifProblems(log: any): string[] {
  const out: string[] = [];
  const LEVELS = ['none', 'note', 'warning', 'error'];
  if (log.version !== '2.1.0') out.push('version must be "2.1.0"');
  if (!Array.isArray(log.runs)) return [...out, 'runs must be an array'];
  log.runs.forEach((run: any, r: number) => {
    const driver = run.tool?.driver;
    if (typeof driver?.name !== 'string') out.push(`runs[${r}].tool.driver.name is required`);
    const rules: any[] = driver?.rules ?? [];
    rules.forEach((rule, i) => {
      if (typeof rule.id !== 'string') out.push(`rules[${i}].id is required`);
      if (rule.defaultConfiguration && !LEVELS.includes(rule.defaultConfiguration.level)) out.push(`rules[${i}].defaultConfiguration.level invalid`);
    });
    if (new Set(rules.map((x) => x.id)).size !== rules.length) out.push('rule ids must be unique');
    (run.results ?? []).forEach((res: any, i: number) => {
      if (typeof res.message?.text !== 'string' && typeof res.message?.id !== 'string') out.push(`results[${i}].message.text or .id is required`);
      if (res.level !== undefined && !LEVELS.includes(res.level)) out.push(`results[${i}].level invalid`);
      if (res.ruleIndex !== undefined && rules[res.ruleIndex]?.id !== res.ruleId) out.push(`results[${i}].ruleIndex must point at its ruleId`);
      for (const loc of res.locations ?? []) {
        if (loc.physicalLocation && typeof loc.physicalLocation.artifactLocation?.uri !== 'string') out.push(`results[${i}] physicalLocation needs artifactLocation.uri`);
        if (loc.physicalLocation?.region && !(loc.physicalLocation.region.startLine >= 1)) out.push(`results[${i}] region.startLine must be ≥ 1`);
      }
      for (const s of res.suppressions ?? []) {
        if (!['inSource', 'external'].includes(s.kind)) out.push(`results[${i}].suppressions kind invalid`);
        if (s.status !== undefined && !['accepted', 'underReview', 'rejected'].includes(s.status)) out.push(`results[${i}].suppressions status invalid`);
      }
    });
  });
  return out;
}

describe('sarif format', () => {
  const log = JSON.parse(formatSarif(realistic(), { artifactUri: 'examples/customers/acme-prod.yaml', toolVersion: '0.1.0' }));

  test('has every required SARIF 2.1.0 field', () => {
    expect(sarifProblems(log)).toEqual([]);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
  });

  test('one result per broadening or undetermined change; rule per section × kind; levels by acknowledgement', () => {
    const results = log.runs[0].results;
    expect(results.map((r: any) => [r.ruleId, r.level])).toEqual([
      ['posture/network/broadening', 'warning'],
      ['posture/modelAccess/broadening', 'error'],
      ['posture/identity/broadening', 'error'],
      ['posture/retention/broadening', 'error'],
      ['posture/secrets/undetermined', 'warning'],
    ]);
    expect(results[0].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'SEC-42: public demo (until 2026-12-31)' }]);
    expect(results[0].locations[0].logicalLocations).toEqual([{ fullyQualifiedName: CONSUMERS, kind: 'resource' }]);
  });

  test('narrowing changes are notes when asked for', () => {
    const withNarrowing = JSON.parse(formatSarif(realistic(), { includeNarrowing: true }));
    expect(sarifProblems(withNarrowing)).toEqual([]);
    expect(withNarrowing.runs[0].results.filter((r: any) => r.level === 'note').length).toBe(3);
  });

  test('the validator catches a malformed log (it can fail)', () => {
    expect(sarifProblems({ version: '2.0.0', runs: [{ tool: {}, results: [{ level: 'fatal', ruleId: 'x', ruleIndex: 0 }] }] })).toEqual([
      'version must be "2.1.0"', 'runs[0].tool.driver.name is required', 'results[0].message.text or .id is required', 'results[0].level invalid', 'results[0].ruleIndex must point at its ruleId',
    ]);
  });
});

test('formatDiff dispatches every format', () => {
  const report = realistic('never');
  expect(DIFF_FORMATS.map((f) => formatDiff(report, f).length > 0)).toEqual([true, true, true, true]);
  expect(formatDiff(report)).toBe(formatText(report));
});
