import { statSync } from 'node:fs';
import { join } from 'node:path';
import { planBoundary } from '../plan/boundary-plan';
import { Boundary } from '../spec/boundary';
import { buildPosture, isPostureArtifact, serializePosture, type PostureArtifact } from '../posture/build';
import { evidenceReport, renderEvidenceHtml, renderEvidenceMarkdown } from '../posture/evidence';
import type { Posture } from '../posture/types';
import { writeDirectoriesAtomically, type DirectoryWrite, type FileWrite } from '../synth/atomic-write';
import { ChecksFailedError, IMPLEMENTED_TARGETS, renderTargetAsync, TARGETS, targetApplies, type Target } from '../synth/targets';
import { expandInputs } from './inputs';
import { checkAll, printProblems, problemsJson, type CliIo } from './report';
import { UsageError } from './usage';

/** Options of `pab synth`. */
export interface SynthOptions {
  /** `kubernetes` | `cloudformation` | `pulumi` | `all`. */
  readonly target: string;
  /** Output root. */
  readonly out: string;
  /** Machine-readable output. */
  readonly json: boolean;
}

/** `pab synth`: validate everything first, render everything in memory, then write atomically. */
export async function synthCommand(inputs: readonly string[], opts: SynthOptions, io: CliIo): Promise<number> {
  if (inputs.length === 0) throw new UsageError('synth needs at least one spec file or directory');
  const targets = parseTargets(opts.target);
  const missingTargets = targets.filter((t) => !IMPLEMENTED_TARGETS.includes(t));
  if (missingTargets.length > 0) {
    throw new UsageError(`target ${missingTargets.map((t) => `"${t}"`).join(', ')} is not implemented yet — implemented: ${IMPLEMENTED_TARGETS.join(', ')}; nothing was written`, false);
  }
  if (isNonDirectory(opts.out)) throw new UsageError(`--out ${JSON.stringify(opts.out)} exists and is not a directory`);
  const started = Date.now();
  const { files, missing } = expandInputs(inputs);
  for (const m of missing) io.err(`error ${m}: no such file or directory\n`);
  if (files.length === 0 && missing.length === 0) io.err(`error ${inputs.join(' ')}: no *.yaml, *.yml or *.json spec found\n`);
  const checked = checkAll(files, io);
  const errors = printProblems(checked, io) + missing.length + (files.length === 0 ? 1 : 0);
  if (errors > 0) {
    if (opts.json) io.out(`${JSON.stringify({ ok: false, written: [], problems: problemsJson(checked) }, null, 2)}\n`);
    else io.err(`${errors} error(s): nothing was written\n`);
    return 1;
  }

  const writes: DirectoryWrite[] = [];
  const results: { boundary: string; file: string; target: Target; dir: string; summary: string }[] = [];
  let refused = 0;
  const fileWrites: FileWrite[] = [];
  for (const c of checked) {
    const plan = planBoundary(Boundary.fromChecked(c));
    const read: PostureArtifact[] = [];
    for (const target of targets.filter((t) => targetApplies(plan, t))) {
      try {
        const artifact = await renderTargetAsync(plan, target);
        const dir = join(opts.out, plan.name, target);
        writes.push({ dir, files: artifact.files });
        results.push({ boundary: plan.name, file: c.file, target, dir, summary: artifact.summary });
        read.push(...artifact.files.filter((f) => isPostureArtifact(target, f.path)).map((f) => ({ target, path: `${target}/${f.path}`, content: f.content })));
      } catch (e) {
        if (!(e instanceof ChecksFailedError)) throw e;
        refused++;
        for (const f of e.findings) io.err(`error ${c.file} ${target} [${f.rule}]: unacknowledged ${f.plugin} finding at ${f.path}\n`);
      }
    }
    // The posture and evidence of what this run synthesized, read back from the artifacts just rendered.
    if (read.length > 0) fileWrites.push(...await reviewFiles(join(opts.out, plan.name), buildPosture({ boundary: plan.name, artifacts: read })));
  }
  if (refused > 0) {
    io.err(`${refused} boundary target(s) failed compliance checks: nothing was written\n`);
    return 1;
  }
  try {
    writeDirectoriesAtomically(opts.out, writes, fileWrites);
  } catch (e) {
    io.err(`error cannot write ${opts.out}: ${(e as Error).message} — the previous output is unchanged\n`);
    return 1;
  }

  if (opts.json) {
    io.out(`${JSON.stringify({ ok: true, written: results, problems: problemsJson(checked) }, null, 2)}\n`);
  } else {
    const width = Math.max(...results.map((r) => r.boundary.length));
    for (const r of results) io.out(`ok  ${r.boundary.padEnd(width)}  ${r.target.padEnd(14)}  ${r.summary.padEnd(12)} → ${r.dir}/\n`);
    io.out(`synthesized ${checked.length} boundar${checked.length === 1 ? 'y' : 'ies'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return 0;
}

/** `posture.json`, `evidence.md` and `evidence.html` of one boundary, beside its target directories. */
async function reviewFiles(dir: string, posture: Posture): Promise<FileWrite[]> {
  const report = evidenceReport(posture);
  return [
    { path: join(dir, 'posture.json'), content: serializePosture(posture) },
    { path: join(dir, 'evidence.md'), content: renderEvidenceMarkdown(report) },
    { path: join(dir, 'evidence.html'), content: await renderEvidenceHtml(report) },
  ];
}

function isNonDirectory(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function parseTargets(value: string): Target[] {
  if (value === 'all') return [...TARGETS];
  const targets = value.split(',').map((t) => t.trim());
  const bad = targets.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (bad.length > 0 || targets.length === 0) {
    throw new UsageError(`--target ${JSON.stringify(value)} is not a target — use ${[...TARGETS, 'all'].join(' | ')} (or a comma-separated list)`);
  }
  return [...new Set(targets)] as Target[];
}
