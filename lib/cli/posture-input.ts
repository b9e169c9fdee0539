import { existsSync, readFileSync, statSync } from 'node:fs';
import { planBoundary } from '../plan/boundary-plan';
import { parsePosture, postureOfDist, postureOfPlan } from '../posture/build';
import { PostureError } from '../posture/normalize-schema';
import { POSTURE_SCHEMA, type Posture } from '../posture/types';
import { Boundary } from '../spec/boundary';
import { checkAll, printProblems, type CliIo } from './report';

/** A posture, or the reason none could be had (already printed). */
export type PostureInputResult = { readonly ok: true; readonly posture: Posture } | { readonly ok: false };

/**
 * The posture of one command-line input, whichever of the three forms it takes:
 * - a `posture.json` (a JSON file whose `schema` is the posture schema), read as is;
 * - a boundary's output directory (`dist/<name>`), read back from the artifacts in it;
 * - a spec file, validated (problems printed like `pab validate`), planned, its targets rendered in memory and read back.
 * User mistakes (missing path, invalid spec, a directory without artifacts, a malformed posture) are printed on
 * stderr and give `{ ok: false }`; nothing throws for them.
 */
export async function postureOfInput(input: string, io: CliIo): Promise<PostureInputResult> {
  if (!existsSync(input)) {
    io.err(`error ${input}: no such file or directory\n`);
    return { ok: false };
  }
  try {
    if (statSync(input).isDirectory()) return { ok: true, posture: postureOfDist(input) };
    const text = readFileSync(input, 'utf8');
    if (input.endsWith('.json') && isPostureDocument(text)) return { ok: true, posture: parsePosture(text, input) };
    const checked = checkAll([input], io);
    if (printProblems(checked, io) > 0) {
      io.err(`error ${input}: invalid spec, no posture\n`);
      return { ok: false };
    }
    return { ok: true, posture: await postureOfPlan(planBoundary(Boundary.fromChecked(checked[0]))) };
  } catch (e) {
    if (!(e instanceof PostureError)) throw e;
    io.err(`error ${e.message}\n`);
    return { ok: false };
  }
}

/** Whether JSON text is a posture document (rather than a JSON spec). */
function isPostureDocument(text: string): boolean {
  try {
    const doc = JSON.parse(text) as { schema?: unknown };
    return doc !== null && typeof doc === 'object' && doc.schema === POSTURE_SCHEMA;
  } catch {
    return false;
  }
}
