import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { ProblemCollector, formatPath } from '../../lib/spec/problems';
import { entropy, redactSecrets, scanForSecretValues, secretLikeness } from '../../lib/spec/rules/secret-values';
import { exampleFiles, stringsOf } from './spec-fixtures';
import { BEGIN_PKCS8_KEY, BEGIN_RSA_KEY, FAKE_AWS_KEY_ID, FAKE_SK_KEY } from '../helpers/fake-secrets';

/** Values that must be recognized, with the reason that must be given. Published example credentials only. */
const TRUE_POSITIVES: readonly (readonly [string, string, RegExp])[] = [
  ['AWS access key id', FAKE_AWS_KEY_ID, /AWS access key id/],
  ['AWS temporary key id', 'ASIAY34FZKBOKMUTVV7A', /AWS access key id/],
  ['AWS key id inside a sentence', `use ${FAKE_AWS_KEY_ID} for CI`, /AWS access key id/],
  ['RSA private key', `${BEGIN_RSA_KEY}\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----`, /private key/],
  ['PKCS#8 private key', `${BEGIN_PKCS8_KEY}\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----`, /private key/],
  ['OpenSSH private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n-----END OPENSSH PRIVATE KEY-----', /private key/],
  ['OpenAI project key', 'sk-proj-Q3ZhbGx5TWlzdGFrZW5LZXk0Mg', /API key \(sk-\.\.\.\)/],
  ['OpenAI legacy key', FAKE_SK_KEY, /API key \(sk-\.\.\.\)/],
  ['Anthropic-style key', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345', /API key \(sk-\.\.\.\)/],
  ['Hugging Face token', 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', /Hugging Face token/],
  ['GitHub personal access token', 'ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz', /GitHub token/],
  ['GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', /GitHub token/],
  ['Slack bot token', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', /Slack token/],
  ['JSON web token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', /JSON web token/],
  ['https URL with credentials', 'https://admin:Winter2026!@idp.acme.example', /credentials in a URL/],
  ['database URL with credentials', 'postgres://litellm:s3cr3t-pw@db.acme.internal:5432/litellm', /credentials in a URL/],
  ['redis URL with credentials', 'rediss://default:AbC123xyz@cache.acme.internal:6379', /credentials in a URL/],
  ['AWS secret access key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', /random credential/],
  ['random base62 string', 'q8Zt3Lx9Vr2Kp7Wm4Nc6Hy1Bd5', /random credential/],
  ['random base64 string', 'Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZg==', /random credential/],
  ['random string split by dashes', 'Xk9v-Qm2P-zL7w-Rt4N-bH8c-Jd5Y', /random credential/],
  ['random string whose parts are mostly words', 'Platform-Engineers-EMEA-x9Kq2ZvL', /random credential/],
];

/** Strings shaped like the ones specs legitimately hold, beyond those of the examples. */
const EXTRA_NEGATIVES: readonly string[] = [
  'arn:aws:iam::111122223333:role/break-glass',
  'arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/acme-gateway/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  'arn:aws:acm:eu-central-1:111122223333:certificate/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
  'arn:aws-us-gov:iam::111122223333:role/PlatformAdminsWithAVeryLongRoleName2024',
  's3://acme-models/llama-3.1-8b/',
  's3://Acme-Models-2024/Llama3_1-8B-Instruct/weights/',
  'pvc:llama-3-3-70b-weights',
  'vllm/vllm-openai:v0.8.5@sha256:3cf83b274876d8469070b145eb2b86f8d43f6da1181c3eb1368d440ca8738e79',
  'public.ecr.aws/x1y2z3a4/Vllm-OpenAI:V0.8.5@sha256:3cf83b274876d8469070b145eb2b86f8d43f6da1181c3eb1368d440ca8738e79',
  'https://idp.acme.example/realms/Engineering2024/protocol/openid-connect',
  'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0',
  'secops@acme.example',
  'Platform.Team-2024+AI@acme.example',
  '10.40.0.0/16',
  '172.31.200.0/24',
  'llama-3-1-8b',
  'g6e.12xlarge',
  'al2023@v20251117',
  'eu-central-1',
  '111122223333',
  'EMAIL_ADDRESS',
  'US_BANK_NUMBER',
  'private-ai-boundary/v1',
  'sk-learn',
  'pab/acme-prod',
  'Staging holds synthetic data only (GLX-88); 90-day retention agreed with Globex security',
  'CN=Acme Internal Root CA 2024, O=Acme Corp',
  // IdP group and role names: long, mixed case, digits, but words joined by separators.
  'ML-Platform-Engineers-EMEA-2024',
  'AcmeResearch_DataScience_Prod_2024',
  'Okta.ML.Engineers.EU.2024.Team',
];

describe('secretLikeness: true positives', () => {
  test.each(TRUE_POSITIVES)('%s', (_kind, value, reason) => {
    expect(secretLikeness(value)).toMatch(reason);
  });
});

describe('secretLikeness: no false positive', () => {
  test.each(exampleFiles().map((f) => [basename(f), f]))('on any string (value or key) of %s', (_name, file) => {
    const strings = stringsOf(parse(readFileSync(file, 'utf8')));
    expect(strings.length).toBeGreaterThan(50);
    expect(strings.filter((s) => secretLikeness(s.value) !== undefined)).toEqual([]);
  });

  test.each(EXTRA_NEGATIVES)('%s', (value) => {
    expect(secretLikeness(value)).toBeUndefined();
  });

  test.each(exampleFiles().map((f) => [basename(f), f]))('the scan of %s reports nothing', (_name, file) => {
    const problems = new ProblemCollector();
    expect(scanForSecretValues(parse(readFileSync(file, 'utf8')), problems)).toEqual([]);
    expect(problems.problems).toEqual([]);
  });
});

describe('scanForSecretValues', () => {
  const scan = (doc: unknown): { found: string[]; reported: string[] } => {
    const problems = new ProblemCollector();
    const found = scanForSecretValues(doc, problems);
    return { found, reported: problems.problems.map((p) => `${formatPath(p.path)} [${p.code}] ${p.severity}`) };
  };

  test('reports values at any depth, in lists, and as keys, with their paths', () => {
    const { found, reported } = scan({
      spec: { a: [{ b: FAKE_AWS_KEY_ID }], 'ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz': 'x' },
    });
    expect(reported).toEqual(['spec.a[0].b [PAB-SEC-001] error', 'spec.ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz [PAB-SEC-001] error']);
    expect(found.sort()).toEqual([FAKE_AWS_KEY_ID, 'ghp_1A2b3C4d5E6f7G8h9I0jKlMnOpQrStUvWxYz']);
  });

  test.each(['password', 'dbPassword', 'passwd', 'clientSecret', 'client_secret', 'apiKey', 'api-key', 'accessKey', 'token', 'hfToken', 'credentials', 'privateKey'])(
    'a field named %s that carries a value is refused, whatever the value',
    (key) => {
      const { found, reported } = scan({ spec: { [key]: 'x1' } });
      expect(reported).toEqual([`spec.${key} [PAB-SEC-001] error`]);
      expect(found).toEqual(['x1']);
    },
  );

  test.each(['secrets', 'tokensPerMinute', 'passwordPolicy', 'secretStore'])('a field named %s is not a secret field', (key) => {
    expect(scan({ spec: { [key]: 'value' } }).reported).toEqual([]);
  });

  test('an empty or non-string value under a secret-looking key is not reported', () => {
    expect(scan({ password: '', token: 3, apiKey: { ref: 'vault:kv/x' } }).reported).toEqual([]);
  });

  test('messages give the length and kind, never the value', () => {
    const problems = new ProblemCollector();
    scanForSecretValues({ a: FAKE_AWS_KEY_ID, password: 'hunter2hunter2' }, problems);
    const messages = problems.problems.map((p) => p.message).join('\n');
    expect(messages).toContain('value (20 characters) looks like an AWS access key id');
    expect(messages).toContain('"password" carries a value (14 characters)');
    expect(messages).not.toMatch(new RegExp(`${FAKE_AWS_KEY_ID}|hunter2`));
  });
});

describe('redactSecrets', () => {
  const problem = (message: string) => ({ code: 'PAB-X-001', severity: 'error' as const, path: ['a'], message });

  test('replaces the quoted, truncated and raw renderings of a secret, and leaves other messages alone', () => {
    const key = `${BEGIN_PKCS8_KEY}\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----`;
    const quotedCut = `${JSON.stringify(key).slice(0, 57)}...`;
    const out = redactSecrets([
      problem(`${quotedCut} is not an e-mail address`),
      problem('declared: sk-live-4f8a2c9e1b7d3a6c, other'),
      problem('"hunter2" is not a valid label'),
      problem('this is fine'),
    ], [key, 'sk-live-4f8a2c9e1b7d3a6c', 'hunter2']);
    expect(out.map((p) => p.message)).toEqual([
      '(secret-looking value) is not an e-mail address',
      'declared: (secret-looking value), other',
      '(secret-looking value) is not a valid label',
      'this is fine',
    ]);
  });

  test('a short secret is only replaced where quoted, so ordinary words survive', () => {
    expect(redactSecrets([problem('"is" is not allowed: this is a test')], ['is']).map((p) => p.message)).toEqual([
      '(secret-looking value) is not allowed: this is a test',
    ]);
  });
});

describe('entropy', () => {
  test.each([
    ['', 0],
    ['aaaa', 0],
    ['abab', 1],
    ['abcd', 2],
    ['0123456789abcdef', 4],
  ])('entropy(%j) = %d bits per character', (s, bits) => {
    expect(entropy(s)).toBeCloseTo(bits, 10);
  });
});
