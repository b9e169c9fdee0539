import type { NamespaceHardening } from '../types';
import { combine, headline, kindOfSets, UNCHANGED, type Assessment, type Classified } from './change';
import { compareOrdered, PSS } from './lattices';

/**
 * Workload hardening of a namespace: Pod Security levels (restricted > baseline > privileged) for enforce, audit
 * and warn, and the containers that deviate from the baseline (a new deviation broadens, a fixed one narrows). A new
 * namespace is neutral when it enforces `restricted` without deviations, otherwise broadening (a new place that admits
 * weaker pods); a namespace gone from the artifacts takes its workloads with it: neutral.
 */

function compareDeviations(b: readonly string[], a: readonly string[]): Assessment {
  const added = a.filter((d) => !b.includes(d));
  const removed = b.filter((d) => !a.includes(d));
  if (added.length === 0 && removed.length === 0) return UNCHANGED;
  return {
    kind: kindOfSets(added.length === 0 ? 'yes' : 'no', removed.length === 0 ? 'yes' : 'no'),
    details: [...added.map((d) => `new deviation: ${d}`), ...removed.map((d) => `deviation fixed: ${d}`)],
  };
}

/** Classifies one namespace-hardening entry's change. */
export function classifyHardening(b: NamespaceHardening | undefined, a: NamespaceHardening | undefined): Classified {
  if (!b && a) {
    const weak = [...(a.pss.enforce !== 'restricted' ? [`enforces pod security ${a.pss.enforce}`] : []), ...a.deviations.map((d) => `deviation: ${d}`)];
    return { kind: weak.length > 0 ? 'broadening' : 'neutral', summary: `new namespace ${a.namespace} (enforce ${a.pss.enforce})`, details: weak };
  }
  if (b && !a) return { kind: 'neutral', summary: `namespace ${b.namespace} no longer in the artifacts`, details: [] };
  if (!b || !a) throw new Error('classifyHardening needs at least one side');
  const aspects: Assessment[] = [];
  if (b.namespace !== a.namespace) aspects.push({ kind: 'undetermined', details: [`namespace: ${b.namespace} → ${a.namespace}`] });
  aspects.push(
    compareOrdered(PSS, b.pss.enforce, a.pss.enforce, 'pod security enforce'),
    compareOrdered(PSS, b.pss.audit, a.pss.audit, 'pod security audit'),
    compareOrdered(PSS, b.pss.warn, a.pss.warn, 'pod security warn'),
    compareDeviations(b.deviations, a.deviations),
  );
  const { kind, details } = combine(aspects);
  return { kind, summary: `namespace ${a.namespace}: ${headline(details)}`, details };
}
