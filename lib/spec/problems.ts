/**
 * Problems found in a spec, and the one error that carries all of them.
 * Format of one problem (STYLE.md "Errors"):
 *   `acme.yaml:12:7 spec.network.zones.models.cidrMask [PAB-NET-003]: /12 does not fit in 10.40.0.0/16 — use /17 or longer`
 */

/** A path into the spec document, e.g. `['spec', 'models', 0, 'image']`. */
export type SpecPath = readonly (string | number)[];

/** error: the spec is refused. warning: synthesized, but a person should look. */
export type Severity = 'error' | 'warning';

/** Where a problem is in a spec file (1-based line and column). */
export interface SourceLocation {
  /** File path as given on the command line. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
}

/** One problem of a spec. */
export interface SpecProblem {
  /** Stable code, e.g. `PAB-NET-003`; listed in docs/ERRORS.md. */
  readonly code: string;
  /** Whether the spec is refused. */
  readonly severity: Severity;
  /** Field path of the offending value. */
  readonly path: SpecPath;
  /** What is wrong and what is allowed, naming the bad value (never a secret). */
  readonly message: string;
  /** Where it is in the file, when the spec came from a file. */
  readonly location?: SourceLocation;
}

/** Renders a path the way a person reads it: `spec.models[0].image`. */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out === '' ? '(document)' : out;
}

/** Renders one problem on one line. */
export function formatProblem(p: SpecProblem): string {
  const where = p.location ? `${p.location.file}:${p.location.line}:${p.location.col} ` : '';
  const sev = p.severity === 'warning' ? 'warning ' : '';
  return `${where}${sev}${formatPath(p.path)} [${p.code}]: ${p.message}`;
}

/** Renders a value for a message: short, quoted, never more than 60 characters. */
export function show(value: unknown): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : value === undefined ? '(missing)' : JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Thrown when a spec has at least one error; carries every problem found (errors and warnings). */
export class SpecError extends Error {
  /** Every problem, errors first, in document order. */
  public readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[], source?: string) {
    const errors = problems.filter((p) => p.severity === 'error');
    const head = `${source ?? 'spec'}: ${errors.length} problem${errors.length === 1 ? '' : 's'}`;
    super([head, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'));
    this.name = 'SpecError';
    this.problems = problems;
  }
}

/** Collects problems while rules run; rules never throw on user input. */
export class ProblemCollector {
  private readonly items: SpecProblem[] = [];

  /** Records an error. */
  error(code: string, path: SpecPath, message: string): void {
    this.items.push({ code, severity: 'error', path, message });
  }

  /** Records a warning. */
  warn(code: string, path: SpecPath, message: string): void {
    this.items.push({ code, severity: 'warning', path, message });
  }

  /** Every problem so far. */
  get problems(): readonly SpecProblem[] {
    return this.items;
  }

  /** True when at least one error was recorded. */
  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }
}
