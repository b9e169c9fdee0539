import type { ModelAccess, Posture, SecretEntry } from '../../types';
import { controlRow } from '../control-row';
import { mergeEvidence, plural, uniqueSorted } from '../describe';
import type { ControlRow } from '../types';

/** The rule of the API keys & access policy control (docs/EVIDENCE.md). */
export const API_KEYS_RULE =
  'Met when the gateway records at least one team × model access, and every one of them is mapped from an IdP group and capped by a requests-per-minute and a tokens-per-minute limit.';

/** API keys & access policy: per-team model allow-lists with limits, keys only the gateway holds. */
export function apiKeysControl(posture: Posture): ControlRow {
  const access = posture.modelAccess;
  const failures: string[] = [];
  const provides: string[] = [];
  const customerOwns: string[] = [];

  if (access.length === 0) failures.push('the posture records no team × model access: the gateway\'s access policy cannot be shown');
  for (const a of access) {
    if (a.groups.length === 0) failures.push(`${a.key}: no IdP group maps to team ${a.team}`);
    if (a.rateLimits.requestsPerMinute === undefined) failures.push(`${a.key}: no requests-per-minute limit (unlimited)`);
    if (a.rateLimits.tokensPerMinute === undefined) failures.push(`${a.key}: no tokens-per-minute limit (unlimited)`);
  }

  const teams = uniqueSorted(access.map((a) => a.team));
  if (access.length > 0) {
    provides.push(`The gateway admits ${plural(teams.length, 'team')} to the models on their allow-list only: ${teams.map((t) => teamLine(t, access)).join('; ')}.`);
  }
  const modelKeys = posture.secrets.filter((s) => /api-key$/.test(s.name));
  if (modelKeys.length > 0) provides.push(`Model runtimes accept only their own API key, readable by: ${uniqueSorted(modelKeys.flatMap((s) => s.readers)).join(', ') || 'no reader recorded'} (${plural(modelKeys.length, 'key')}).`);
  const master = posture.secrets.filter(isMasterKey);
  if (master.length > 0) provides.push(`Team and key administration needs the gateway's admin key (${master.map((s) => s.name).join(', ')}), readable by: ${uniqueSorted(master.flatMap((s) => s.readers)).join(', ') || 'no reader recorded'}.`);

  const groups = uniqueSorted(access.flatMap((a) => a.groups));
  if (groups.length > 0) customerOwns.push(`Membership of the IdP groups mapped to teams: ${groups.join(', ')}.`);
  if (master.length > 0) customerOwns.push('Issuing, handing out and revoking team members\' virtual keys with the admin key, and who holds that key.');
  if (posture.owners.owner) customerOwns.push(`${posture.owners.owner} (boundary owner) approves which team may use which model, and its limits.`);

  return controlRow({ id: 'api-keys', rule: API_KEYS_RULE, failures, customerDecides: [], provides, customerOwns, exceptions: [],
    evidence: mergeEvidence([...access, ...modelKeys, ...master]) });
}

function teamLine(team: string, access: readonly ModelAccess[]): string {
  const rows = access.filter((a) => a.team === team);
  return `${team} → ${rows.map((a) => `${a.model} (${limits(a)})`).join(', ')}`;
}

/** `120 requests/min, 200000 tokens/min`; `unlimited` parts said so. */
export function limits(a: ModelAccess): string {
  const rpm = a.rateLimits.requestsPerMinute;
  const tpm = a.rateLimits.tokensPerMinute;
  return `${rpm === undefined ? 'unlimited' : rpm} requests/min, ${tpm === undefined ? 'unlimited' : tpm} tokens/min`;
}

function isMasterKey(s: SecretEntry): boolean {
  return /master-key$/.test(s.name);
}
