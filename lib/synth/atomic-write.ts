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

/** One file replaced on its own (`<out>/<boundary>/posture.json`), beside the target directories. */
export interface FileWrite {
  /** Final path. */
  readonly path: string;
  /** Content (UTF-8). */
  readonly content: string;
}

/**
 * Writes every directory (and single file) in a staging area under `outRoot`, then swaps each into place with renames.
 * Nothing is touched until all content is staged; if a swap fails, the swaps already made are undone, so a failed
 * run leaves the previous output exactly as it was. Each final directory is replaced whole (no stale files survive).
 */
export function writeDirectoriesAtomically(outRoot: string, writes: readonly DirectoryWrite[], fileWrites: readonly FileWrite[] = []): void {
  mkdirSync(outRoot, { recursive: true });
  const stage = join(outRoot, `.pab-tmp-${process.pid}-${Date.now()}`);
  const done: { dir: string; old?: string; staged: string }[] = [];
  // A single file is swapped exactly like a directory: staged under its own index, renamed into place.
  const all: { target: string; stage: (at: string) => void }[] = [
    ...writes.map((w) => ({ target: w.dir, stage: (at: string) => {
      mkdirSync(at, { recursive: true });
      for (const f of w.files) {
        const path = join(at, ...f.path.split('/'));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.content);
      }
    } })),
    ...fileWrites.map((f) => ({ target: f.path, stage: (at: string) => writeFileSync(at, f.content) })),
  ];
  try {
    mkdirSync(stage, { recursive: true });
    all.forEach((w, i) => w.stage(join(stage, String(i))));
    all.forEach((w, i) => {
      const staged = join(stage, String(i));
      const old = join(stage, `${i}.old`);
      mkdirSync(dirname(w.target), { recursive: true });
      const hadOld = existsSync(w.target);
      if (hadOld) renameSync(w.target, old);
      try {
        renameSync(staged, w.target);
      } catch (e) {
        if (hadOld) renameSync(old, w.target);
        throw e;
      }
      done.push({ dir: w.target, old: hadOld ? old : undefined, staged });
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
