import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArtifactFile } from './targets';

/** Files destined for one directory (`<out>/<boundary>/<target>`). */
export interface DirectoryWrite {
  /** Final directory. */
  readonly dir: string;
  /** Files, relative to `dir`. */
  readonly files: readonly ArtifactFile[];
}

/**
 * Writes every directory in a staging area under `outRoot`, then swaps each into place with renames.
 * Nothing is touched until all content is staged; if a swap fails, the swaps already made are undone, so a failed
 * run leaves the previous output exactly as it was. Each final directory is replaced whole (no stale files survive).
 */
export function writeDirectoriesAtomically(outRoot: string, writes: readonly DirectoryWrite[]): void {
  mkdirSync(outRoot, { recursive: true });
  const stage = join(outRoot, `.pab-tmp-${process.pid}-${Date.now()}`);
  const done: { dir: string; old?: string; staged: string }[] = [];
  try {
    writes.forEach((w, i) => {
      mkdirSync(join(stage, String(i)), { recursive: true });
      for (const f of w.files) {
        const path = join(stage, String(i), ...f.path.split('/'));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.content);
      }
    });
    writes.forEach((w, i) => {
      const staged = join(stage, String(i));
      const old = join(stage, `${i}.old`);
      mkdirSync(dirname(w.dir), { recursive: true });
      const hadOld = existsSync(w.dir);
      if (hadOld) renameSync(w.dir, old);
      try {
        renameSync(staged, w.dir);
      } catch (e) {
        if (hadOld) renameSync(old, w.dir);
        throw e;
      }
      done.push({ dir: w.dir, old: hadOld ? old : undefined, staged });
    });
  } catch (e) {
    // Undo in reverse order: put back what was there before this run.
    for (const d of done.reverse()) {
      renameSync(d.dir, d.staged);
      if (d.old) renameSync(d.old, d.dir);
    }
    throw e;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
