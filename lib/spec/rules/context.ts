import type { ProblemCollector } from '../problems';
import type { ResolvedSpec } from '../resolve';
import type { BoundaryManifest } from '../types';

/** What every rule receives: the resolved spec, the raw manifest (to tell written from defaulted) and a sink for problems. */
export interface RuleContext {
  /** The spec with defaults applied. */
  readonly spec: ResolvedSpec;
  /** The manifest as written. */
  readonly manifest: BoundaryManifest;
  /** Where problems go. */
  readonly problems: ProblemCollector;
  /** The clock grants are checked against. */
  readonly now: Date;
}

/** A rule checks one area of the spec and records problems; it never throws on user input. */
export type Rule = (ctx: RuleContext) => void;

/** Reports names that occur more than once in a list. */
export function checkUnique(ctx: RuleContext, items: readonly { name: string }[], path: readonly (string | number)[], code: string): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.name);
    if (first !== undefined) {
      ctx.problems.error(code, [...path, i, 'name'], `"${item.name}" is already used by ${path.join('.')}[${first}] — names must be unique`);
    } else {
      seen.set(item.name, i);
    }
  });
}
