import type { CheckedSpec } from './loader';
import type { SpecProblem } from './problems';

/**
 * PAB-FILE-002: boundary names are unique across the files checked together — each names its output directory
 * (`dist/<name>/`) and its cloud resources. The first file with a name keeps it; every later file with the same
 * name gets an error at its `metadata.name` and loses its resolved spec. Files with errors already are left as they are.
 * Returns a new list in the same order; the input is not modified.
 */
export function duplicateNameProblems(checked: readonly CheckedSpec[]): CheckedSpec[] {
  const firstFile = new Map<string, string>();
  return checked.map((c) => {
    if (!c.spec) return c;
    const other = firstFile.get(c.spec.name);
    if (other === undefined) {
      firstFile.set(c.spec.name, c.file);
      return c;
    }
    const problem: SpecProblem = {
      code: 'PAB-FILE-002',
      severity: 'error',
      path: ['metadata', 'name'],
      message: `"${c.spec.name}" is also the name of ${other} — boundary names must be unique (each names dist/<name>/ and its cloud resources)`,
      location: c.nameLocation ?? { file: c.file, line: 1, col: 1 },
    };
    // Errors first, as checkSpecText orders them.
    const problems = [...c.problems.filter((p) => p.severity === 'error'), problem, ...c.problems.filter((p) => p.severity !== 'error')];
    return { file: c.file, problems, nameLocation: c.nameLocation };
  });
}
