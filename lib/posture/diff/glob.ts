/**
 * Wildcard patterns as IAM writes them (`*` = any run of characters, `?` = any one character), decided exactly:
 * "is every string one pattern matches also matched by one of these patterns?" is a language-inclusion question,
 * answered by walking the first pattern's automaton against the determinized union of the others. Characters that
 * appear in no pattern behave alike, so one stand-in character represents them all and the walk is finite.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */

/** A pattern: wildcards active (`StringLike`, actions, resources) or every character literal (`StringEquals`). */
export interface Pattern {
  readonly text: string;
  /** When true, `*` and `?` are ordinary characters. @default false */
  readonly literal?: boolean;
}

type Token = { readonly t: 'char'; readonly c: string } | { readonly t: 'one' } | { readonly t: 'star' };

/** Stands for every character no pattern mentions (a private-use code point no IAM string contains). */
const OTHER = '\uE000';

function tokens(p: Pattern): Token[] {
  return [...p.text].map((c): Token => (p.literal || (c !== '*' && c !== '?') ? { t: 'char', c } : c === '*' ? { t: 'star' } : { t: 'one' }));
}

/** One automaton state per token position; `star` loops on any character and may be skipped (ε). */
class Glob {
  constructor(readonly toks: readonly Token[]) {}

  get accept(): number {
    return this.toks.length;
  }

  /** States reachable from `s` without reading (skipping stars). */
  closure(s: number): number[] {
    const out = [s];
    while (s < this.toks.length && this.toks[s].t === 'star') out.push(++s);
    return out;
  }

  /** States after reading `c` in state `s`, closed. */
  step(s: number, c: string): number[] {
    const tok = this.toks[s];
    if (tok === undefined) return [];
    if (tok.t === 'star') return this.closure(s);
    if (tok.t === 'one' || tok.c === c) return this.closure(s + 1);
    return [];
  }
}

function alphabet(patterns: readonly Token[][]): string[] {
  const chars = new Set<string>([OTHER]);
  for (const toks of patterns) for (const tok of toks) if (tok.t === 'char') chars.add(tok.c);
  return [...chars];
}

/** Whether `pattern` matches the string `text` (exactly, whole string). */
export function globMatches(pattern: Pattern, text: string): boolean {
  const g = new Glob(tokens(pattern));
  let states = new Set(g.closure(0));
  for (const c of text) {
    const next = new Set<number>();
    for (const s of states) for (const n of g.step(s, c)) next.add(n);
    states = next;
    if (states.size === 0) return false;
  }
  return states.has(g.accept);
}

/**
 * Whether every string `inner` matches is matched by at least one of `outers` (exact; an empty `outers` covers
 * nothing). Patterns are compared as written: callers lower-case them first where IAM compares case-insensitively.
 */
export function globCovered(inner: Pattern, outers: readonly Pattern[]): boolean {
  const innerToks = tokens(inner);
  const outerToks = outers.map(tokens);
  // Fast paths: an outer `*` covers everything; a wildcard-free inner is one string; an identical outer covers.
  if (outerToks.some((t) => t.length === 1 && t[0].t === 'star')) return true;
  if (innerToks.every((t) => t.t === 'char')) {
    const text = innerToks.map((t) => (t.t === 'char' ? t.c : '')).join('');
    return outers.some((o) => globMatches(o, text));
  }
  if (outerToks.some((t) => t.length === innerToks.length && t.every((x, i) => sameToken(x, innerToks[i])))) return true;
  return includedIn(innerToks, outerToks);
}

function sameToken(x: Token, y: Token): boolean {
  return x.t === y.t && (x.t !== 'char' || x.c === (y as { c: string }).c);
}

/** L(inner) ⊆ ∪ L(outers), by walking inner's automaton against the determinized union (states as integers). */
function includedIn(innerToks: Token[], outerToks: Token[][]): boolean {
  const sigma = alphabet([innerToks, ...outerToks]);
  const a = new Glob(innerToks);
  const bs = outerToks.map((t) => new Glob(t));
  // State s of outer i is the integer offset[i] + s.
  const offset: number[] = [];
  let total = 0;
  for (const b of bs) {
    offset.push(total);
    total += b.accept + 1;
  }
  const accepting = new Set(bs.map((b, i) => offset[i] + b.accept));
  const owner = (n: number): number => {
    let i = bs.length - 1;
    while (offset[i] > n) i--;
    return i;
  };
  const stepUnion = (set: readonly number[], c: string): number[] => {
    const next = new Set<number>();
    for (const n of set) {
      const i = owner(n);
      for (const m of bs[i].step(n - offset[i], c)) next.add(offset[i] + m);
    }
    return [...next].sort((x, y) => x - y);
  };
  const start = [...new Set(bs.flatMap((b, i) => b.closure(0).map((s) => offset[i] + s)))].sort((x, y) => x - y);
  const seen = new Set<string>();
  const queue: [number, number[]][] = a.closure(0).map((s) => [s, start]);
  while (queue.length > 0) {
    const [s, set] = queue.pop() as [number, number[]];
    const id = `${s}|${set.join(',')}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (s === a.accept && !set.some((n) => accepting.has(n))) return false;
    for (const c of sigma) {
      const nextStates = a.step(s, c);
      if (nextStates.length === 0) continue;
      const nextSet = stepUnion(set, c);
      for (const n of nextStates) queue.push([n, nextSet]);
    }
  }
  return true;
}

/** Whether some string matches both patterns. */
export function globsOverlap(x: Pattern, y: Pattern): boolean {
  const gx = new Glob(tokens(x));
  const gy = new Glob(tokens(y));
  const sigma = alphabet([gx.toks as Token[], gy.toks as Token[]]);
  const seen = new Set<string>();
  const queue: [number, number][] = gx.closure(0).flatMap((sx) => gy.closure(0).map((sy): [number, number] => [sx, sy]));
  while (queue.length > 0) {
    const [sx, sy] = queue.pop() as [number, number];
    const id = `${sx},${sy}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (sx === gx.accept && sy === gy.accept) return true;
    for (const c of sigma) for (const nx of gx.step(sx, c)) for (const ny of gy.step(sy, c)) queue.push([nx, ny]);
  }
  return false;
}
