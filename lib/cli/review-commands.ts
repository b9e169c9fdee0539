import { writeFileSync } from 'node:fs';
import {
  AcknowledgementError, DIFF_FORMATS, diffExitCode, diffPostures, formatDiff, loadAcknowledgements, rebasePosture, type DiffFormat, type FailOn,
} from '../posture/diff';
import { evidenceReport, renderEvidenceHtml, renderEvidenceMarkdown } from '../posture/evidence';
import { serializePosture } from '../posture/build';
import { postureOfInput } from './posture-input';
import type { CliIo } from './report';
import { UsageError } from './usage';

/** Options shared by `pab posture`, `pab diff` and `pab evidence`. */
export interface ReviewCommandOptions {
  /** Output format (command-specific). */
  readonly format?: string;
  /** Write to this file instead of stdout. */
  readonly out?: string;
  /** `pab diff`: which changes fail the run (exit 3). */
  readonly failOn?: string;
  /** `pab diff`: acknowledgements file. */
  readonly ack?: string;
}

const FAIL_ON: readonly FailOn[] = ['broadening', 'undetermined', 'never'];
const EVIDENCE_FORMATS = ['md', 'html'] as const;

/** `pab posture <spec|dist-dir|posture.json>`: the posture document, read back from the artifacts. */
export async function postureCommand(inputs: readonly string[], opts: ReviewCommandOptions, io: CliIo): Promise<number> {
  if (inputs.length !== 1) throw new UsageError('posture takes exactly one spec file, boundary output directory (dist/<name>) or posture.json');
  if (opts.format !== undefined && opts.format !== 'json') throw new UsageError(`--format ${JSON.stringify(opts.format)} is not a posture format — use json`);
  const got = await postureOfInput(inputs[0], io);
  if (!got.ok) return 1;
  return emit(serializePosture(got.posture), opts, io);
}

/** `pab diff <before> <after>`: every change classified; exit 3 when `--fail-on` is met by an unacknowledged change. */
export async function diffCommand(inputs: readonly string[], opts: ReviewCommandOptions, io: CliIo): Promise<number> {
  if (inputs.length !== 2) throw new UsageError('diff takes two inputs: <before> <after> (each a spec, a dist/<name> directory or a posture.json)');
  const format = (opts.format ?? 'text') as DiffFormat;
  if (!DIFF_FORMATS.includes(format)) throw new UsageError(`--format ${JSON.stringify(opts.format)} is not a diff format — use ${DIFF_FORMATS.join(', ')}`);
  const failOn = (opts.failOn ?? 'never') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on ${JSON.stringify(opts.failOn)} — use ${FAIL_ON.join(', ')}`);
  let acknowledgements;
  try {
    acknowledgements = opts.ack === undefined ? [] : loadAcknowledgements(opts.ack);
  } catch (e) {
    if (!(e instanceof AcknowledgementError)) throw e;
    io.err(`error ${e.message}\n`);
    return 1;
  }
  const [before, after] = [await postureOfInput(inputs[0], io), await postureOfInput(inputs[1], io)];
  if (!before.ok || !after.ok) return 1;
  // Two different boundaries (a customer against a golden baseline): compare them with their own names, account and
  // Region replaced by placeholders, so that `<boundary>-gateway` lines up with `<boundary>-gateway`.
  const rebase = before.posture.boundary !== after.posture.boundary;
  if (rebase) io.err(`note  comparing two boundaries (${before.posture.boundary} → ${after.posture.boundary}): names, account and Region read as <boundary>, <account>, <region>\n`);
  const [b, a] = rebase ? [rebasePosture(before.posture), rebasePosture(after.posture)] : [before.posture, after.posture];
  const report = diffPostures(b, a, { acknowledgements, failOn, now: io.now() });
  for (const w of report.warnings) io.err(`warn  ${w}\n`);
  const written = emit(formatDiff(report, format), opts, io);
  return written !== 0 ? written : diffExitCode(report);
}

/** `pab evidence <spec|dist-dir|posture.json>`: the controls evidence report, Markdown or one self-contained HTML file. */
export async function evidenceCommand(inputs: readonly string[], opts: ReviewCommandOptions, io: CliIo): Promise<number> {
  if (inputs.length !== 1) throw new UsageError('evidence takes exactly one spec file, boundary output directory (dist/<name>) or posture.json');
  const format = (opts.format ?? 'md') as (typeof EVIDENCE_FORMATS)[number];
  if (!EVIDENCE_FORMATS.includes(format)) throw new UsageError(`--format ${JSON.stringify(opts.format)} is not an evidence format — use md or html`);
  const got = await postureOfInput(inputs[0], io);
  if (!got.ok) return 1;
  const report = evidenceReport(got.posture);
  return emit(format === 'html' ? await renderEvidenceHtml(report) : renderEvidenceMarkdown(report), opts, io);
}

function emit(text: string, opts: ReviewCommandOptions, io: CliIo): number {
  if (opts.out === undefined) {
    io.out(text);
    return 0;
  }
  try {
    writeFileSync(opts.out, text);
  } catch (e) {
    io.err(`error cannot write ${opts.out}: ${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}
