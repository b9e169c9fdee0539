import { show, type ProblemCollector, type SpecPath, type SpecProblem } from '../problems';

/**
 * PAB-SEC-001: anything that looks like a secret value, anywhere in the document (values and keys).
 * A spec holds references only; the message never repeats the value, only its shape.
 */
const PATTERNS: readonly { what: string; re: RegExp }[] = [
  { what: 'an AWS access key id', re: /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { what: 'a private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: 'an API key (sk-...)', re: /\bsk-[A-Za-z0-9_-]{16,}/ },
  { what: 'a Hugging Face token', re: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { what: 'a GitHub token', re: /\b(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}\b/ },
  { what: 'a Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { what: 'a JSON web token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { what: 'credentials in a URL', re: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
];

const SECRET_KEY = /(pass(word|wd)?|secret(?!s$)|token|api[-_]?key|access[-_]?key|private[-_]?key|credentials?|client[-_]?secret)$/i;

/** Strings that are long and random but are known not to be secrets. */
const SAFE = [
  /@sha256:[a-f0-9]{64}$/, // pinned image
  /^arn:aws[a-z-]*:/, // ARN
  /^s3:\/\//,
  /^https?:\/\/[^@\s]+$/, // URL without credentials
  /^[^@\s]+@[^@\s]+$/, // e-mail
];

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Words, acronyms and numbers joined by separators, as people name IdP groups and roles
 * (`ML-Platform-Engineers-EMEA-2024`): long and mixed-case, but not random.
 */
function isWordList(value: string): boolean {
  const parts = value.split(/[-_.:/]/);
  return parts.length >= 3 && parts.every((p) => /^([A-Za-z][a-z]*|[A-Z]+|\d+)$/.test(p));
}

/** Why a string looks like a secret, or undefined. */
export function secretLikeness(value: string): string | undefined {
  for (const { what, re } of PATTERNS) if (re.test(value)) return `looks like ${what}`;
  if (SAFE.some((re) => re.test(value)) || isWordList(value)) return undefined;
  if (value.length >= 24 && !/\s/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value) && entropy(value) >= 4.2) {
    return 'looks like a random credential (long high-entropy string)';
  }
  return undefined;
}

/** Walks the raw document, reports every secret-looking key or value, and returns those strings (see `redactSecrets`). */
export function scanForSecretValues(doc: unknown, problems: ProblemCollector): string[] {
  const found: string[] = [];
  const walk = (node: unknown, path: SpecPath): void => {
    if (typeof node === 'string') {
      const why = secretLikeness(node);
      if (!why) return;
      found.push(node);
      problems.error('PAB-SEC-001', path, `value (${node.length} characters) ${why} — a spec holds references only: put the value in the secret store and declare it under spec.secrets.items`);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((v, i) => walk(v, [...path, i]));
      return;
    }
    if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        const keyWhy = secretLikeness(k);
        if (keyWhy) {
          found.push(k);
          problems.error('PAB-SEC-001', [...path, k], `a field name ${keyWhy} — a spec holds references only`);
        }
        if (SECRET_KEY.test(k) && typeof v === 'string' && v !== '') {
          found.push(v);
          problems.error('PAB-SEC-001', [...path, k], `"${k}" carries a value (${v.length} characters) — a spec never holds secret values; declare the secret under spec.secrets.items and set it in the store`);
        } else {
          walk(v, [...path, k]);
        }
      }
    }
  };
  walk(doc, []);
  return found;
}

const REDACTED = '(secret-looking value)';

/**
 * Other rules name the bad value in their messages (`show(value)` or the raw string): replace every rendering of a
 * secret found by `scanForSecretValues`, so no message repeats it. Raw occurrences are replaced only for values of
 * 8 characters or more, so a short password does not blank out ordinary words.
 */
export function redactSecrets(problems: readonly SpecProblem[], secrets: readonly string[]): SpecProblem[] {
  const ordered = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  return problems.map((p) => {
    let message = p.message;
    for (const s of ordered) {
      message = message.split(show(s)).join(REDACTED);
      if (s.length >= 8) message = message.split(s).join(REDACTED);
    }
    return message === p.message ? p : { ...p, message };
  });
}
