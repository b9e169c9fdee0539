import { duplicateNameProblems } from '../spec/duplicate-names';
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

/** Loads and validates every file; a boundary name used by two files is a problem of the later one (PAB-FILE-002). */
export function checkAll(files: readonly string[], io: CliIo): CheckedSpec[] {
  const now = io.now();
  return duplicateNameProblems(files.map((f) => checkSpecFile(f, { now })));
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
