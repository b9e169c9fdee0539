import { checkSpecFile, type CheckedSpec } from '../spec/loader';
import { formatProblem } from '../spec/problems';

/** Where the CLI writes. Injected so tests capture output without a subprocess. */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** The clock grants are checked against. */
  now(): Date;
}

/** Loads and validates every file; adds a problem for boundary names used by two files. */
export function checkAll(files: readonly string[], io: CliIo): CheckedSpec[] {
  const now = io.now();
  const checked = files.map((f) => checkSpecFile(f, { now }));
  const byName = new Map<string, string>();
  return checked.map((c) => {
    if (!c.spec) return c;
    const other = byName.get(c.spec.name);
    byName.set(c.spec.name, c.file);
    if (other === undefined) return c;
    return {
      file: c.file,
      problems: [...c.problems, { code: 'PAB-FILE-002', severity: 'error' as const, path: ['metadata', 'name'],
        message: `"${c.spec.name}" is also the name of ${other} — boundary names must be unique (they name dist/<name>/)`,
        location: { file: c.file, line: 1, col: 1 } }],
    };
  });
}

/** Prints every problem of every file to stderr, errors first; returns the number of errors. */
export function printProblems(checked: readonly CheckedSpec[], io: CliIo): number {
  let errors = 0;
  for (const c of checked) {
    for (const p of c.problems) {
      if (p.severity === 'error') errors++;
      io.err(`${p.severity === 'error' ? 'error' : 'warn '} ${formatProblem(p).replace(/^(\S+) warning /, '$1 ')}\n`);
    }
  }
  return errors;
}

/** Problems as JSON-friendly objects. */
export function problemsJson(checked: readonly CheckedSpec[]): unknown[] {
  return checked.flatMap((c) => c.problems.map((p) => ({
    file: c.file, line: p.location?.line, col: p.location?.col, severity: p.severity, code: p.code,
    path: p.path, field: formatProblem({ ...p, location: undefined }).split(' [')[0].replace(/^warning /, ''), message: p.message,
  })));
}
