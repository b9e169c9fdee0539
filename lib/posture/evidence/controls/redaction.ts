import type { Posture, RedactionEntry } from '../../types';
import { controlRow } from '../control-row';
import { mergeEvidence, uniqueSorted } from '../describe';
import type { ControlRow, RecordedException } from '../types';

/** The rule of the redaction control (docs/EVIDENCE.md). */
export const REDACTION_RULE = 'Met when the gateway masks or blocks at least one PII entity; not met when it redacts none (no entity, or every entity allowed).';

/** Redaction & output handling: entities × action and where they are enforced. */
export function redactionControl(posture: Posture): ControlRow {
  const entries = posture.redaction;
  const failures: string[] = [];
  const provides: string[] = [];
  const customerOwns: string[] = [];
  const exceptions: RecordedException[] = [];

  if (entries.length === 0) failures.push('no PII entity is redacted: prompts reach the models unfiltered');
  else if (!entries.some((e) => e.action !== 'allow')) failures.push('every listed entity is allowed: nothing is masked or blocked');

  for (const action of ['block', 'mask'] as const) {
    const of = entries.filter((e) => e.action === action);
    if (of.length > 0) provides.push(`${action === 'block' ? 'Blocked (the request is refused)' : 'Masked before the model sees it'}: ${of.map((e) => e.entity).join(', ')}.`);
  }
  const where = uniqueSorted(entries.map((e) => e.enforcedBy));
  if (where.length > 0) provides.push(`Enforced by: ${where.join('; ')}.`);
  for (const e of entries.filter((x) => x.action === 'allow')) {
    exceptions.push({ control: 'redaction', key: e.key, what: `${e.entity} passes to the models unredacted (action allow, recorded in the artifacts)`, evidence: mergeEvidence([e]) });
  }

  if (entries.length > 0 && !entries.some(redactsOutput)) {
    customerOwns.push('Handling PII in model output: redaction runs on prompts before the call, so applications that show or store responses own their output handling.');
  }
  customerOwns.push('Deciding whether the listed entities cover the data sent: entities not listed pass unredacted.');
  if (posture.owners.owner) customerOwns.push(`${posture.owners.owner} (boundary owner) approves the redaction list.`);

  return controlRow({ id: 'redaction', rule: REDACTION_RULE, failures, customerDecides: [], provides, customerOwns, exceptions, evidence: mergeEvidence(entries) });
}

/** Whether an entry is enforced on responses too (a post-call guardrail). */
function redactsOutput(e: RedactionEntry): boolean {
  return /post_call|output|response/i.test(e.enforcedBy);
}
