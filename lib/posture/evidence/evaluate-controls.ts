import type { Posture } from '../types';
import { apiKeysControl } from './controls/api-keys';
import { identityControl } from './controls/identity';
import { networkControl } from './controls/network';
import { redactionControl } from './controls/redaction';
import { retentionControl } from './controls/retention';
import { secretsControl } from './controls/secrets';
import { CONTROL_IDS, type ControlId, type ControlRow } from './types';

const EVALUATORS: Readonly<Record<ControlId, (posture: Posture) => ControlRow>> = {
  'identity': identityControl,
  'api-keys': apiKeysControl,
  'secrets': secretsControl,
  'retention': retentionControl,
  'redaction': redactionControl,
  'network': networkControl,
};

/**
 * The controls matrix of a posture: one row per control (identity, API keys, secrets, retention, redaction, network,
 * in that order), each with what the boundary provides, what the customer owns, the evidence references and a
 * status computed from the posture alone by the rules in docs/EVIDENCE.md.
 */
export function evaluateControls(posture: Posture): ControlRow[] {
  return CONTROL_IDS.map((id) => EVALUATORS[id](posture));
}
