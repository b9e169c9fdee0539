import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AcknowledgementError, checkAcknowledgementsText, diffExitCode, diffPostures, formatAcknowledgementProblem, loadAcknowledgements, type Acknowledgement,
} from '../../../lib/posture/diff';
import { access, cidr, posture, redaction, retention, rule } from './builders';

const NOW = new Date('2026-11-22T12:00:00Z');
const KEY = 'network/kubernetes/acme-prod-gateway/NetworkPolicy/allow-consumers/ingress';

/** Problems of a text, rendered the way the CLI prints them. */
const problemsOf = (text: string, file = 'acks.yaml'): string[] => checkAcknowledgementsText(text, file).problems.map(formatAcknowledgementProblem);

/** Positions point at the offending field's key, as spec problems do (lib/spec/loader.ts `locate`). */
describe('acknowledgements file validation', () => {
  test('a valid YAML file gives acknowledgements with their positions', () => {
    const text = `acknowledgements:\n  - key: ${KEY}\n    reason: partner VPC joins for the pilot\n    ticket: SEC-1234\n    expires: 2026-12-31\n`;
    const checked = checkAcknowledgementsText(text, 'acks.yaml');
    expect(checked.problems).toEqual([]);
    expect(checked.acknowledgements).toEqual([{ key: KEY, reason: 'partner VPC joins for the pilot', ticket: 'SEC-1234', expires: '2026-12-31', location: { file: 'acks.yaml', line: 2, col: 5 } }]);
  });

  test('JSON is read the same way, and a bare ticket number is a ticket', () => {
    const text = JSON.stringify({ acknowledgements: [{ key: KEY, reason: 'pilot', ticket: 1234, expires: '2026-12-31' }] }, null, 2);
    expect(checkAcknowledgementsText(text, 'acks.json').acknowledgements.map((a) => a.ticket)).toEqual(['1234']);
  });

  test.each([
    ['a bad date', `acknowledgements:\n  - key: ${KEY}\n    reason: r\n    ticket: T-1\n    expires: 2026-13-01\n`,
      ['acks.yaml:5:5 acknowledgements[0].expires: "2026-13-01" is not a date — use YYYY-MM-DD (the last day the acknowledgement counts)']],
    ['a missing reason', `acknowledgements:\n  - key: ${KEY}\n    ticket: T-1\n    expires: 2026-12-31\n`,
      ['acks.yaml:2:5 acknowledgements[0].reason: missing — required: why the change is accepted']],
    ['an unknown field, with a guess', `acknowledgements:\n  - key: ${KEY}\n    reason: r\n    tiket: T-1\n    expires: 2026-12-31\n`,
      ['acks.yaml:2:5 acknowledgements[0].ticket: missing — required: the ticket or URL where it was approved',
        'acks.yaml:4:5 acknowledgements[0].tiket: unknown field — did you mean "ticket"? (allowed here: key, reason, ticket, expires)']],
    ['a key that is not a posture key', 'acknowledgements:\n  - key: AwsSolutions-IAM5\n    reason: r\n    ticket: T-1\n    expires: 2026-12-31\n',
      ['acks.yaml:2:5 acknowledgements[0].key: "AwsSolutions-IAM5" is not a posture change key — it starts with one of network/, model-access/, identity/, secret/, encryption/, retention/, redaction/, hardening/ (copy it from the diff output)']],
    ['a reason that is not text', `acknowledgements:\n  - key: ${KEY}\n    reason: [a, b]\n    ticket: T-1\n    expires: 2026-12-31\n`,
      ['acks.yaml:3:5 acknowledgements[0].reason: must be text (why the change is accepted) — got a list ["a","b"]']],
    ['an empty ticket', `acknowledgements:\n  - key: ${KEY}\n    reason: r\n    ticket: "  "\n    expires: 2026-12-31\n`,
      ['acks.yaml:4:5 acknowledgements[0].ticket: is empty — required: the ticket or URL where it was approved']],
    ['the same key twice', `acknowledgements:\n  - { key: ${KEY}, reason: r, ticket: T-1, expires: 2026-12-31 }\n  - { key: ${KEY}, reason: r, ticket: T-2, expires: 2026-12-31 }\n`,
      [`acks.yaml:3:7 acknowledgements[1].key: "${KEY}" is acknowledged twice (first at line 2) — keep one entry per change`]],
    ['an item that is not a map', 'acknowledgements:\n  - just a string\n', ['acks.yaml:2:5 acknowledgements[0]: must be a map { key, reason, ticket, expires } — got a string "just a string"']],
    ['a list at the top', '- key: x\n', ['acks.yaml:1:1 (document): must be a map with an "acknowledgements" list — got a list']],
    ['an empty document', '', ['acks.yaml:1:1 (document): must be a map with an "acknowledgements" list — got an empty document']],
    ['acknowledgements not a list', 'acknowledgements: yes\n', ['acks.yaml:1:1 acknowledgements: must be a list of { key, reason, ticket, expires } — got a string']],
    ['an unknown top-level field', 'acknowledgement: []\n', ['acks.yaml:1:1 acknowledgement: unknown field — did you mean "acknowledgements"? (allowed here: acknowledgements)', 'acks.yaml:1:1 acknowledgements: missing — a list of { key, reason, ticket, expires } (may be empty: [])']],
    ['broken YAML', 'acknowledgements:\n  - key: [unclosed\n', ['acks.yaml:3:1 (document): Flow sequence in block collection must be sufficiently indented and end with a ]']],
  ])('%s', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  test('loadAcknowledgements throws one error listing every problem, with positions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pab-ack-'));
    try {
      const file = join(dir, 'acks.yaml');
      writeFileSync(file, `acknowledgements:\n  - key: ${KEY}\n    reason: r\n    ticket: T-1\n    expires: soon\n  - key: nope\n    reason: r\n    ticket: T-2\n    expires: 2026-12-31\n`);
      expect(() => loadAcknowledgements(file)).toThrow(AcknowledgementError);
      expect(() => loadAcknowledgements(file)).toThrow(`${file}:5:5 acknowledgements[0].expires: "soon" is not a date`);
      expect(() => loadAcknowledgements(file)).toThrow(`${file}:6:5 acknowledgements[1].key: "nope" is not a posture change key`);
      expect(() => loadAcknowledgements(join(dir, 'missing.yaml'))).toThrow(`${join(dir, 'missing.yaml')}:1:1 (document): file not found`);
      writeFileSync(file, 'acknowledgements: []\n');
      expect(loadAcknowledgements(file)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('acknowledgements applied to a diff, and the --fail-on gate', () => {
  const before = posture([rule(), access(), retention(), redaction()]);
  const after = posture([rule({ peers: [cidr('10.0.0.0/8')] }), access({ rateLimits: { requestsPerMinute: 100, tokensPerMinute: 500000 } }), retention({ lock: 'GOVERNANCE' }), redaction({ enforcedBy: 'elsewhere' })]);
  const ack = (key: string, expires = '2026-12-31'): Acknowledgement => ({ key, reason: 'accepted for the pilot', ticket: 'SEC-1', expires });

  test('an unacknowledged broadening fails --fail-on broadening with exit 3', () => {
    const report = diffPostures(before, after, { failOn: 'broadening', now: NOW });
    expect(report.counts).toEqual({ broadening: 2, undetermined: 1, narrowing: 1, neutral: 0 });
    expect(report.changes.filter((c) => c.blocking).map((c) => c.key)).toEqual([KEY, 'retention/bucket/acme-prod-audit']);
    expect([report.failed, diffExitCode(report)]).toEqual([true, 3]);
  });

  test('acknowledging every broadening passes; the undetermined change does not fail the broadening gate', () => {
    const report = diffPostures(before, after, { failOn: 'broadening', now: NOW, acknowledgements: [ack(KEY), ack('retention/bucket/acme-prod-audit')] });
    expect([report.failed, diffExitCode(report), report.acknowledgedBroadening]).toEqual([false, 0, 2]);
    expect(report.changes.find((c) => c.key === KEY)?.acknowledgement?.status).toBe('active');
  });

  test('--fail-on undetermined also fails on an unacknowledged undetermined change', () => {
    const acks = [ack(KEY), ack('retention/bucket/acme-prod-audit')];
    expect(diffPostures(before, after, { failOn: 'undetermined', now: NOW, acknowledgements: acks }).failed).toBe(true);
    expect(diffPostures(before, after, { failOn: 'undetermined', now: NOW, acknowledgements: [...acks, ack('redaction/EMAIL_ADDRESS')] }).failed).toBe(false);
  });

  test('an acknowledgement counts through its expiry day (UTC) and not after', () => {
    const acks = [ack(KEY, '2026-11-22'), ack('retention/bucket/acme-prod-audit', '2026-11-22')];
    expect(diffPostures(before, after, { failOn: 'broadening', now: new Date('2026-11-22T23:59:59Z'), acknowledgements: acks }).failed).toBe(false);
    const late = diffPostures(before, after, { failOn: 'broadening', now: new Date('2026-11-23T00:00:00Z'), acknowledgements: acks });
    expect(late.failed).toBe(true);
    expect(late.changes.find((c) => c.key === KEY)?.acknowledgement?.status).toBe('expired');
    expect(late.acknowledgements.expired.map((a) => a.key)).toEqual([KEY, 'retention/bucket/acme-prod-audit']);
    expect(late.warnings[0]).toBe(`acknowledgement of ${KEY} (SEC-1) expired after 2026-11-22: it no longer counts — renew it or revert the change`);
  });

  test('an acknowledgement matching no change is reported as a warning with its position', () => {
    const stale = { ...ack('identity/aws/iam-role/gone'), location: { file: 'acks.yaml', line: 7, col: 5 } };
    const report = diffPostures(before, after, { failOn: 'broadening', now: NOW, acknowledgements: [ack(KEY), ack('retention/bucket/acme-prod-audit'), stale] });
    expect(report.failed).toBe(false);
    expect(report.acknowledgements.unmatched).toEqual([stale]);
    expect(report.warnings).toEqual(['acks.yaml:7:5 acknowledgement of identity/aws/iam-role/gone (SEC-1) matches no change in this diff — remove it']);
  });

  test('without a gate nothing fails', () => {
    expect(diffExitCode(diffPostures(before, after, { now: NOW }))).toBe(0);
  });
});
