import type { IamCondition } from '../types';
import { allOf, type Proof } from './change';
import { blocksOverlap, parseBlock, uncoveredBlocks, type IpBlock } from './cidr';
import { globCovered, type Pattern } from './glob';

/**
 * IAM conditions. A statement's conditions are a conjunction, so a set C1 is at least as strict as C2 when every
 * condition of C2 is implied by some condition of C1 on the same key: an added condition narrows, a removed one
 * broadens, and a changed value narrows when its accepted set is provably within the old one — values of one
 * condition are OR'd (StringEquals {a, b} accepts a or b), negated operators exclude every value. Keys compare
 * case-insensitively, as IAM does.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

type Family = 'string' | 'string-ci' | 'arn' | 'number' | 'date' | 'ip' | 'bool' | 'null' | 'other';

interface Op {
  readonly family: Family;
  /** A `Not…` operator: accepts what none of the values matches. */
  readonly negated: boolean;
  /** For String/Arn: values are wildcard patterns (`…Like`; Arn operators always are). */
  readonly like: boolean;
  /** For number/date: `eq`, `lt`, `lte`, `gt`, `gte`. */
  readonly cmp: 'eq' | 'lt' | 'lte' | 'gt' | 'gte';
  /** `…IfExists`: also true when the key is absent. */
  readonly ifExists: boolean;
  /** `ForAnyValue:` / `ForAllValues:` set operators: only equality is decided. */
  readonly setOp: string;
}

function op(operator: string): Op {
  const setMatch = /^(ForAnyValue|ForAllValues):/.exec(operator);
  let rest = setMatch ? operator.slice(setMatch[0].length) : operator;
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  const base = { negated: false, like: false, cmp: 'eq' as const, ifExists, setOp: setMatch ? setMatch[1] : '' };
  const str = /^String(Not)?(Equals|Like|EqualsIgnoreCase)$/.exec(rest);
  if (str) return { ...base, family: str[3] === 'EqualsIgnoreCase' ? 'string-ci' : 'string', negated: str[1] !== undefined, like: str[2] === 'Like' };
  const arn = /^Arn(Not)?(Equals|Like)$/.exec(rest);
  if (arn) return { ...base, family: 'arn', negated: arn[1] !== undefined, like: true };
  const num = /^(Numeric|Date)(NotEquals|Equals|LessThanEquals|LessThan|GreaterThanEquals|GreaterThan)$/.exec(rest);
  if (num) {
    const cmp = ({ Equals: 'eq', NotEquals: 'eq', LessThan: 'lt', LessThanEquals: 'lte', GreaterThan: 'gt', GreaterThanEquals: 'gte' } as const)[num[2] as 'Equals'];
    return { ...base, family: num[1] === 'Numeric' ? 'number' : 'date', negated: num[2] === 'NotEquals', cmp };
  }
  if (rest === 'IpAddress' || rest === 'NotIpAddress') return { ...base, family: 'ip', negated: rest === 'NotIpAddress' };
  if (rest === 'Bool') return { ...base, family: 'bool' };
  if (rest === 'Null') return { ...base, family: 'null' };
  return { ...base, family: 'other' };
}

const sameCondition = (x: IamCondition, y: IamCondition): boolean =>
  x.operator === y.operator && x.key.toLowerCase() === y.key.toLowerCase() && x.values.length === y.values.length && x.values.every((v, i) => v === y.values[i]);

/** Whether every value of `inner` is matched by some value of `outer` (as patterns). */
function patternsWithin(inner: readonly Pattern[], outer: readonly Pattern[]): boolean {
  return inner.every((p) => globCovered(p, outer));
}

function stringImplies(o1: Op, v1: readonly string[], o2: Op, v2: readonly string[]): Proof {
  const ci = o1.family === 'string-ci';
  const pats = (o: Op, vs: readonly string[]): Pattern[] => vs.map((text) => ({ text: ci ? text.toLowerCase() : text, literal: !o.like }));
  const [p1, p2] = [pats(o1, v1), pats(o2, v2)];
  if (!o1.negated && !o2.negated) return patternsWithin(p1, p2) ? 'yes' : 'no';
  if (o1.negated && o2.negated) return patternsWithin(p2, p1) ? 'yes' : 'no';
  return 'unknown';
}

/** A set of reals a numeric/date condition accepts: finite, the complement of a finite set, or a half-line. */
type RealSet = { t: 'in'; v: number[] } | { t: 'out'; v: number[] } | { t: 'below' | 'above'; b: number; strict: boolean };

function realSet(o: Op, values: readonly string[]): RealSet | undefined {
  const nums = values.map((v) => (o.family === 'date' ? Date.parse(v) : Number(v)));
  if (nums.length === 0 || nums.some((n) => Number.isNaN(n))) return undefined;
  // Values are OR'd: x < 3 or x < 5 is x < 5.
  if (o.cmp === 'eq') return { t: o.negated ? 'out' : 'in', v: nums };
  if (o.cmp === 'lt' || o.cmp === 'lte') return { t: 'below', b: Math.max(...nums), strict: o.cmp === 'lt' };
  return { t: 'above', b: Math.min(...nums), strict: o.cmp === 'gt' };
}

function realHas(s: RealSet, x: number): boolean {
  switch (s.t) {
    case 'in': return s.v.includes(x);
    case 'out': return !s.v.includes(x);
    case 'below': return s.strict ? x < s.b : x <= s.b;
    case 'above': return s.strict ? x > s.b : x >= s.b;
    default: return false;
  }
}

function realWithin(s1: RealSet, s2: RealSet): boolean {
  if (s1.t === 'in') return s1.v.every((x) => realHas(s2, x));
  if (s2.t === 'out') return s2.v.every((x) => !realHas(s1, x));
  if (s1.t === 'out' || s2.t === 'in') return false;
  if (s1.t !== s2.t) return false;
  // Same direction: the bound of s1 must not pass the bound of s2 (a strict bound at the same value is within).
  if (s1.b === s2.b) return s1.strict || !s2.strict;
  return s1.t === 'below' ? s1.b < s2.b : s1.b > s2.b;
}

function ipImplies(o1: Op, v1: readonly string[], o2: Op, v2: readonly string[]): Proof {
  const blocks = (vs: readonly string[]): IpBlock[] | undefined => {
    const bs = vs.map(parseBlock);
    return bs.every((b): b is IpBlock => b !== undefined) ? bs : undefined;
  };
  const [b1, b2] = [blocks(v1), blocks(v2)];
  if (!b1 || !b2) return 'unknown';
  const covered = (inner: readonly IpBlock[], outer: readonly IpBlock[]): boolean => inner.every((b) => uncoveredBlocks(b, outer).length === 0);
  if (!o1.negated && !o2.negated) return covered(b1, b2) ? 'yes' : 'no';
  if (o1.negated && o2.negated) return covered(b2, b1) ? 'yes' : 'no';
  if (!o1.negated && o2.negated) return b1.some((x) => b2.some((y) => blocksOverlap(x, y))) ? 'no' : 'yes';
  return 'no';
}

/** Whether every request context that satisfies `c1` satisfies `c2` (same key). */
export function conditionImplies(c1: IamCondition, c2: IamCondition): Proof {
  if (sameCondition(c1, c2)) return 'yes';
  if (c1.key.toLowerCase() !== c2.key.toLowerCase()) return 'unknown';
  const [o1, o2] = [op(c1.operator), op(c2.operator)];
  if (o1.setOp !== '' || o2.setOp !== '' || o1.family === 'other' || o2.family === 'other') return 'unknown';
  // c1 …IfExists holds when the key is absent, where c2 without IfExists fails.
  if (o1.ifExists && !o2.ifExists) return 'no';
  const compatible = o1.family === o2.family;
  if (!compatible) return 'unknown';
  switch (o1.family) {
    case 'string':
    case 'string-ci':
    case 'arn':
      return stringImplies(o1, c1.values, o2, c2.values);
    case 'number':
    case 'date': {
      const [s1, s2] = [realSet(o1, c1.values), realSet(o2, c2.values)];
      return s1 && s2 ? (realWithin(s1, s2) ? 'yes' : 'no') : 'unknown';
    }
    case 'ip':
      return ipImplies(o1, c1.values, o2, c2.values);
    case 'bool':
    case 'null': {
      const lower = (vs: readonly string[]): string[] => vs.map((v) => v.toLowerCase());
      return lower(c1.values).every((v) => lower(c2.values).includes(v)) ? 'yes' : 'no';
    }
    default:
      return 'unknown';
  }
}

/** Renders a condition: `Bool aws:MultiFactorAuthPresent=true`. */
export function conditionText(c: IamCondition): string {
  return `${c.operator} ${c.key}=${c.values.join('|')}`;
}

/**
 * Whether the conjunction `c1s` implies the conjunction `c2s` (c1s is at least as strict). A condition of `c2s` with no
 * condition on its key in `c1s` is provably not implied (the key is free under `c1s`).
 */
export function conditionsImply(c1s: readonly IamCondition[], c2s: readonly IamCondition[]): Proof {
  return allOf(c2s.map((c2) => {
    const sameKey = c1s.filter((c1) => c1.key.toLowerCase() === c2.key.toLowerCase());
    if (sameKey.length === 0) return 'no';
    const proofs = sameKey.map((c1) => conditionImplies(c1, c2));
    if (proofs.includes('yes')) return 'yes';
    // Two conditions on one key may together imply c2 where neither does alone: only one alone decides 'no'.
    return sameKey.length === 1 ? proofs[0] : 'unknown';
  }));
}

/**
 * What differs between two condition sets, for details: a condition whose operator and key stay but whose values
 * change reads as changed; the others as added or removed.
 */
export function conditionChanges(before: readonly IamCondition[], after: readonly IamCondition[]): string[] {
  const added = after.filter((a) => !before.some((b) => sameCondition(a, b)));
  const removed = before.filter((b) => !after.some((a) => sameCondition(a, b)));
  const slot = (c: IamCondition): string => `${c.operator} ${c.key.toLowerCase()}`;
  const changed = added.filter((a) => removed.filter((b) => slot(b) === slot(a)).length === 1 && added.filter((x) => slot(x) === slot(a)).length === 1);
  const isChanged = (c: IamCondition): boolean => changed.some((a) => slot(a) === slot(c));
  return [
    ...changed.map((a) => {
      const b = removed.find((x) => slot(x) === slot(a)) as IamCondition;
      return `condition changed: ${a.operator} ${a.key}: ${b.values.join('|')} → ${a.values.join('|')}`;
    }),
    ...added.filter((c) => !isChanged(c)).map((c) => `condition added: ${conditionText(c)}`),
    ...removed.filter((c) => !isChanged(c)).map((c) => `condition removed: ${conditionText(c)}`),
  ];
}
