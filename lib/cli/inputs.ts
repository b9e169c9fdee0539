import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Spec file extensions `pab` reads from a directory. */
const SPEC_FILE = /\.(ya?ml|json)$/;

/** Expands files and directories (their *.yaml, *.yml, *.json, sorted) into spec files; reports missing paths. */
export function expandInputs(inputs: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      missing.push(input);
      continue;
    }
    if (isDir) {
      files.push(...readdirSync(input).filter((f) => SPEC_FILE.test(f)).sort().map((f) => join(input, f)));
    } else {
      files.push(input);
    }
  }
  return { files: [...new Set(files)], missing };
}
