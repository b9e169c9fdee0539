import { postureOfPlan } from '../../../lib/posture/build';
import type { Posture } from '../../../lib/posture/types';
import { examplePlans } from '../../helpers/examples';

let cached: Promise<Map<string, Posture>> | undefined;

/**
 * The posture of every example spec, read back from its artifacts rendered in memory by `postureOfPlan` (every
 * target that applies), keyed by boundary name; computed once per test file (CloudFormation takes seconds).
 */
export function examplePostures(): Promise<Map<string, Posture>> {
  cached ??= (async () => {
    const out = new Map<string, Posture>();
    for (const [name, plan] of examplePlans()) out.set(name, await postureOfPlan(plan));
    return out;
  })();
  return cached;
}
