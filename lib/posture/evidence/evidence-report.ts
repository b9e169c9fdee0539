import type { Posture } from '../types';
import { reviewChecklist } from './checklist';
import { evaluateControls } from './evaluate-controls';
import { networkDiagram } from './network-diagram';
import type { EvidenceOptions, EvidenceReport } from './types';

/**
 * The evidence report of a posture: the controls matrix, the exceptions recorded with their reasons, the review
 * checklist and the network diagram's model. Built from the posture alone — never from the spec — and deterministic:
 * the same posture and options give the same report.
 */
export function evidenceReport(posture: Posture, options: EvidenceOptions = {}): EvidenceReport {
  const controls = evaluateControls(posture);
  return {
    boundary: posture.boundary,
    ...(posture.owners.customer ? { customer: posture.owners.customer } : {}),
    ...(posture.owners.owner ? { owner: posture.owners.owner } : {}),
    ...(options.generatedAt ? { generatedAt: options.generatedAt } : {}),
    controls,
    exceptions: controls.flatMap((c) => c.exceptions),
    checklist: reviewChecklist(posture, options),
    diagram: networkDiagram(posture),
  };
}
