import { expandInputs } from './inputs';
import { checkAll, printProblems, problemsJson, type CliIo } from './report';
import { UsageError } from './usage';

/** `pab validate <spec|dir>... [--json]`. */
export function validateCommand(inputs: readonly string[], json: boolean, io: CliIo): number {
  if (inputs.length === 0) throw new UsageError('validate needs at least one spec file or directory');
  const { files, missing } = expandInputs(inputs);
  for (const m of missing) io.err(`error ${m}: no such file or directory\n`);
  if (files.length === 0 && missing.length === 0) io.err(`error ${inputs.join(' ')}: no *.yaml, *.yml or *.json spec found\n`);
  const checked = checkAll(files, io);
  const errors = printProblems(checked, io) + missing.length + (files.length === 0 ? 1 : 0);
  if (json) {
    io.out(`${JSON.stringify({ ok: errors === 0, files: checked.map((c) => ({ file: c.file, boundary: c.spec?.name ?? null, valid: c.spec !== undefined })), problems: problemsJson(checked) }, null, 2)}\n`);
  } else {
    for (const c of checked) io.out(`${c.spec ? 'valid  ' : 'INVALID'} ${c.file}${c.spec ? ` (${c.spec.name})` : ''}\n`);
    const bad = checked.filter((c) => !c.spec).length + missing.length;
    io.out(`${checked.length + missing.length} spec(s): ${checked.length - bad + missing.length} valid, ${bad} invalid\n`);
  }
  return errors > 0 ? 1 : 0;
}
