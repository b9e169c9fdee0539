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
 * Nothing is touched until all content is staged, so a failed run leaves the previous output intact;
 * each final directory is replaced whole (no stale files survive).
 */
export function writeDirectoriesAtomically(outRoot: string, writes: readonly DirectoryWrite[]): void {
  mkdirSync(outRoot, { recursive: true });
  const stage = join(outRoot, `.pab-tmp-${process.pid}-${Date.now()}`);
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
      mkdirSync(dirname(w.dir), { recursive: true });
      const old = join(stage, `${i}.old`);
      if (existsSync(w.dir)) renameSync(w.dir, old);
      renameSync(join(stage, String(i)), w.dir);
    });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
