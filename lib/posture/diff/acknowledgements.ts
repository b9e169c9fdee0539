import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { locate } from '../../spec/loader';
import { formatPath, show, type SourceLocation, type SpecPath } from '../../spec/problems';
import { grantEnd } from '../../spec/rules/access';
import { closest } from '../../spec/structure';

/**
 * The acknowledgements file (`pab diff --ack <file>`, YAML or JSON): broadening changes a person accepted, each with a
 * reason, a ticket and an expiry, so a gate (`--fail-on broadening`) passes without hiding the change:
 *
 * ```yaml
 * acknowledgements:
 *   - key: network/kubernetes/acme-prod-gateway/NetworkPolicy/allow-consumer-acme-apps-to-gateway-ingress/ingress
 *     reason: partner VPC joins the consumers for the Q3 pilot
 *     ticket: SEC-1234
 *     expires: 2026-12-31
 * ```
 */

/** One accepted change. */
export interface Acknowledgement {
  /** The change's key (a posture entry key, as the diff prints it). */
  readonly key: string;
  /** Why the change is accepted. */
  readonly reason: string;
  /** Where it was approved (ticket id or URL). */
  readonly ticket: string;
  /** Last day it counts (YYYY-MM-DD): it stops counting at 00:00 UTC the day after, as a grant's `expires` does. */
  readonly expires: string;
  /** Where it is written, when it came from a file. */
  readonly location?: SourceLocation;
}

/** A problem of an acknowledgements file. */
export interface AcknowledgementProblem {
  readonly severity: 'error' | 'warning';
  /** Field path, e.g. `acknowledgements[2].expires`. */
  readonly field: string;
  /** What is wrong and what is allowed, naming the bad value. */
  readonly message: string;
  readonly location: SourceLocation;
}

/** Renders a problem on one line: `acks.yaml:4:14 acknowledgements[0].expires: "2026-13-01" is not a date — use YYYY-MM-DD`. */
export function formatAcknowledgementProblem(p: AcknowledgementProblem): string {
  const sev = p.severity === 'warning' ? 'warning ' : '';
  return `${p.location.file}:${p.location.line}:${p.location.col} ${sev}${p.field}: ${p.message}`;
}

/** Thrown when an acknowledgements file has an error; lists every problem. */
export class AcknowledgementError extends Error {
  /** Every problem found, in file order. */
  public readonly problems: readonly AcknowledgementProblem[];

  constructor(file: string, problems: readonly AcknowledgementProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error').length;
    super([`${file}: ${errors} problem${errors === 1 ? '' : 's'}`, ...problems.map((p) => `  ${formatAcknowledgementProblem(p)}`)].join('\n'));
    this.name = 'AcknowledgementError';
    this.problems = problems;
  }
}

/** The result of reading an acknowledgements file without throwing. */
export interface CheckedAcknowledgements {
  /** Valid acknowledgements (empty when there is any error). */
  readonly acknowledgements: readonly Acknowledgement[];
  readonly problems: readonly AcknowledgementProblem[];
}

const TOP_FIELDS = ['acknowledgements'] as const;
const FIELDS = ['key', 'reason', 'ticket', 'expires'] as const;
/** What each field holds, for "missing" and "wrong type" messages. */
const WANTS: Readonly<Record<(typeof FIELDS)[number], string>> = {
  key: 'the key of the change as `pab diff` prints it',
  reason: 'why the change is accepted',
  ticket: 'the ticket or URL where it was approved',
  expires: 'the last day it counts, YYYY-MM-DD',
};
/** Key prefixes of posture entries (lib/posture/types.ts). */
const KEY_PREFIXES = ['network/', 'model-access/', 'identity/', 'secret/', 'encryption/', 'retention/', 'redaction/', 'hardening/'];

const kindOf = (v: unknown): string => (Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a map' : `a ${typeof v}`);

/** Validates acknowledgements text (YAML or JSON) with positions relative to `file`. */
export function checkAcknowledgementsText(text: string, file: string): CheckedAcknowledgements {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, strict: true });
  if (doc.errors.length > 0) {
    return {
      acknowledgements: [],
      problems: doc.errors.map((e) => {
        const pos = lc.linePos(e.pos[0]);
        return { severity: 'error' as const, field: '(document)', message: e.message.split('\n')[0], location: { file, line: pos.line, col: pos.col } };
      }),
    };
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 50 });
  const problems: AcknowledgementProblem[] = [];
  const at = (path: SpecPath): SourceLocation => (raw === null || raw === undefined ? { file, line: 1, col: 1 } : locate(doc, lc, path, file));
  const error = (path: SpecPath, message: string): void => {
    problems.push({ severity: 'error', field: formatPath(path), message, location: at(path) });
  };
  const unknownFields = (obj: Record<string, unknown>, allowed: readonly string[], path: SpecPath): void => {
    for (const k of Object.keys(obj).filter((k) => !allowed.includes(k))) {
      const guess = closest(k, allowed);
      error([...path, k], `unknown field${guess ? ` — did you mean "${guess}"?` : ''} (allowed here: ${allowed.join(', ')})`);
    }
  };

  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !isMap(doc.contents)) {
    error([], `must be a map with an "acknowledgements" list — got ${raw === undefined || raw === null ? 'an empty document' : kindOf(raw)}`);
    return { acknowledgements: [], problems };
  }
  const top = raw as Record<string, unknown>;
  unknownFields(top, TOP_FIELDS, []);
  const list = top.acknowledgements;
  if (list === undefined) error(['acknowledgements'], 'missing — a list of { key, reason, ticket, expires } (may be empty: [])');
  else if (!Array.isArray(list) || !isSeq(doc.get('acknowledgements'))) error(['acknowledgements'], `must be a list of { key, reason, ticket, expires } — got ${kindOf(list)}`);

  const acknowledgements: Acknowledgement[] = [];
  const firstLine = new Map<string, number>();
  (Array.isArray(list) ? list : []).forEach((item: unknown, i) => {
    const path = ['acknowledgements', i];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      error(path, `must be a map { key, reason, ticket, expires } — got ${kindOf(item)} ${show(item)}`);
      return;
    }
    const entry = item as Record<string, unknown>;
    unknownFields(entry, FIELDS, path);
    const before = problems.length;
    const text = (field: (typeof FIELDS)[number]): string => {
      const v = entry[field];
      if (v === undefined || v === null) {
        error([...path, field], `missing — required: ${WANTS[field]}`);
        return '';
      }
      // A ticket number written bare (`ticket: 1234`) is still a ticket.
      if (field === 'ticket' && typeof v === 'number') return String(v);
      if (typeof v !== 'string') {
        error([...path, field], `must be text (${WANTS[field]}) — got ${kindOf(v)} ${show(v)}`);
        return '';
      }
      if (v.trim() === '') error([...path, field], `is empty — required: ${WANTS[field]}`);
      return v.trim();
    };
    const [key, reason, ticket, expires] = FIELDS.map(text);
    if (key !== '' && !KEY_PREFIXES.some((p) => key.startsWith(p))) {
      error([...path, 'key'], `${show(key)} is not a posture change key — it starts with one of ${KEY_PREFIXES.join(', ')} (copy it from the diff output)`);
    }
    if (expires !== '' && (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(`${expires}T00:00:00Z`)))) {
      error([...path, 'expires'], `${show(expires)} is not a date — use YYYY-MM-DD (the last day the acknowledgement counts)`);
    }
    const location = at(path);
    if (key !== '' && firstLine.has(key)) {
      error([...path, 'key'], `${JSON.stringify(key)} is acknowledged twice (first at line ${firstLine.get(key)}) — keep one entry per change`);
    } else if (key !== '') firstLine.set(key, location.line);
    if (problems.length === before) acknowledgements.push({ key, reason, ticket, expires, location });
  });
  problems.sort((a, b) => a.location.line - b.location.line || a.location.col - b.location.col);
  return { acknowledgements: problems.some((p) => p.severity === 'error') ? [] : acknowledgements, problems };
}

/** Reads and validates an acknowledgements file; throws `AcknowledgementError` listing every problem. */
export function loadAcknowledgements(file: string): Acknowledgement[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new AcknowledgementError(file, [{ severity: 'error', field: '(document)', message: reason, location: { file, line: 1, col: 1 } }]);
  }
  const checked = checkAcknowledgementsText(text, file);
  if (checked.problems.some((p) => p.severity === 'error')) throw new AcknowledgementError(file, checked.problems);
  return [...checked.acknowledgements];
}

/** Whether an acknowledgement still counts at `now` (through the whole of its `expires` day, UTC). */
export function isAcknowledgementActive(ack: Acknowledgement, now: Date): boolean {
  return now.getTime() < grantEnd(ack.expires).getTime();
}
