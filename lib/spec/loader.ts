import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { SpecError, type SourceLocation, type SpecPath, type SpecProblem } from './problems';
import type { ResolvedSpec } from './resolve';
import { validateManifest, type ValidateOptions } from './validate';

/** A spec file that passed validation, with its warnings. */
export interface LoadedSpec {
  /** The file as given. */
  readonly file: string;
  /** The resolved spec. */
  readonly spec: ResolvedSpec;
  /** Warnings (with file positions); errors throw instead. */
  readonly warnings: readonly SpecProblem[];
}

/** Result of checking a file without throwing. */
export interface CheckedSpec {
  /** The file as given. */
  readonly file: string;
  /** The resolved spec, when there is no error. */
  readonly spec?: ResolvedSpec;
  /** Every problem, each with its file position. */
  readonly problems: readonly SpecProblem[];
  /**
   * Where `metadata.name` is written (for problems across files, e.g. PAB-FILE-002).
   * @default - unknown: such problems point at 1:1
   */
  readonly nameLocation?: SourceLocation;
}

/** Loads, validates and resolves a YAML or JSON spec file; throws `SpecError` listing every problem. */
export function loadSpec(file: string, options: ValidateOptions = {}): LoadedSpec {
  const checked = checkSpecFile(file, options);
  if (!checked.spec) throw new SpecError(checked.problems, file);
  return { file, spec: checked.spec, warnings: checked.problems };
}

/** Loads and validates a spec file, returning problems instead of throwing (for `pab validate`). */
export function checkSpecFile(file: string, options: ValidateOptions = {}): CheckedSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    return { file, problems: [{ code: 'PAB-FILE-001', severity: 'error', path: [], message: reason, location: { file, line: 1, col: 1 } }] };
  }
  return checkSpecText(text, file, options);
}

/** Validates spec text (YAML or JSON) with positions relative to `file`. */
export function checkSpecText(text: string, file: string, options: ValidateOptions = {}): CheckedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  if (doc.errors.length > 0) {
    return {
      file,
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { code: 'PAB-YAML-001', severity: 'error' as const, path: [], message: e.message.split('\n')[0], location: { file, line: pos.line, col: pos.col } };
      }),
    };
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 50 });
  const result = validateManifest(raw, options);
  // An empty document has no node to point at (a lone `---` would give its end): report it at the top of the file.
  const at = (path: SpecPath): SourceLocation => (raw === null || raw === undefined ? { file, line: 1, col: 1 } : locate(doc, lineCounter, path, file));
  const problems = result.problems.map((p) => ({ ...p, message: quoteAsWritten(doc, p), location: at(p.path) }));
  problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.location.line - b.location.line || a.location.col - b.location.col);
  return { file, spec: result.spec, problems, nameLocation: result.spec && locate(doc, lineCounter, ['metadata', 'name'], file) };
}

/**
 * YAML reads `version: 1.30` as the number 1.3: the "quote it" hint must repeat what was written (`"1.30"`),
 * or following it leads to the next error.
 */
function quoteAsWritten(doc: Document, p: SpecProblem): string {
  if (p.code !== 'PAB-SCHEMA-001') return p.message;
  const node = doc.getIn(p.path, true);
  if (!isScalar(node) || typeof node.value !== 'number' || node.source === undefined) return p.message;
  return p.message.replace(`(quote it in YAML: "${node.value}")`, `(quote it in YAML: "${node.source}")`);
}

/** Position of the node at `path`; for a key that does not exist (unknown or missing), the nearest existing key. */
export function locate(doc: Document, lc: LineCounter, path: SpecPath, file: string): SourceLocation {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
      if (i === path.length - 1) break;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  const pos = lc.linePos(offset);
  return { file, line: pos.line, col: pos.col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}
