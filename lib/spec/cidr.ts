/** IPv4 CIDR arithmetic: parsing, containment, overlap and aligned allocation. Pure functions, no dependencies. */

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  /** Prefix length, 0–32. */
  readonly mask: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Why a string is not a usable CIDR, or undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  const m = CIDR_RE.exec(text);
  if (!m) return 'is not an IPv4 CIDR like 10.40.0.0/16';
  const octets = m.slice(1, 5).map(Number);
  const mask = Number(m[5]);
  if (octets.some((o) => o > 255)) return 'has an octet above 255';
  if (mask > 32) return 'has a prefix length above 32';
  const addr = toInt(octets);
  const base = network(addr, mask);
  if (base !== addr) return `is not aligned to /${mask} — did you mean ${formatCidr({ base, mask })}?`;
  return undefined;
}

/** Parses a CIDR; throws on input `cidrProblem` would refuse (call that first for user input). */
export function parseCidr(text: string): Cidr {
  const problem = cidrProblem(text);
  if (problem) throw new Error(`${text} ${problem}`);
  const m = CIDR_RE.exec(text)!;
  return { base: toInt(m.slice(1, 5).map(Number)), mask: Number(m[5]) };
}

/** Formats a CIDR as `a.b.c.d/n`. */
export function formatCidr(c: Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.mask}`;
}

/** Number of addresses in the block. */
export function size(c: Cidr): number {
  return 2 ** (32 - c.mask);
}

/** True when `inner` lies entirely within `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.mask >= outer.mask && network(inner.base, outer.mask) === outer.base;
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return contains(a, b) || contains(b, a);
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(parseCidr);

/** True for RFC 1918 and RFC 6598 (carrier-grade NAT) space. */
export function isPrivate(c: Cidr): boolean {
  return PRIVATE_RANGES.some((r) => contains(r, c));
}

/**
 * Allocates aligned blocks of the given prefix lengths inside `outer`, largest first so that alignment
 * never wastes space; returns them in request order, or undefined when they do not all fit.
 */
export function allocate(outer: Cidr, masks: readonly number[]): Cidr[] | undefined {
  const order = masks.map((mask, i) => ({ mask, i })).sort((a, b) => a.mask - b.mask || a.i - b.i);
  const out: Cidr[] = new Array(masks.length);
  let next = outer.base;
  const end = outer.base + size(outer);
  for (const { mask, i } of order) {
    if (mask < outer.mask || mask > 32) return undefined;
    const step = 2 ** (32 - mask);
    next = Math.ceil(next / step) * step;
    if (next + step > end) return undefined;
    out[i] = { base: next, mask };
    next += step;
  }
  return out;
}

function toInt(octets: number[]): number {
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

function network(addr: number, mask: number): number {
  if (mask === 0) return 0;
  return (addr & (~0 << (32 - mask))) >>> 0;
}
