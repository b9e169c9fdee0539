/**
 * IPv4 and IPv6 CIDR blocks as exact integer ranges (bigint), for containment of one block in a union of blocks.
 * lib/spec/cidr.ts handles the spec's IPv4 VPC ranges; a posture may carry IPv6 (`::/0`, security-group IPv6 rules).
 */

/** A parsed block: address family, first address, prefix length. */
export interface IpBlock {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseV6(text: string): bigint | undefined {
  let head = text;
  let v4tail: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    v4tail = parseV4(text.slice(lastColon + 1));
    if (v4tail === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v4tail === undefined ? v : (v & ~0xffffffffn) | v4tail;
}

/** Parses `a.b.c.d/n`, `x:y::z/n` or a bare address (a /32 or /128); host bits are cleared. Undefined when malformed. */
export function parseBlock(text: string): IpBlock | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const family: 4 | 6 = addr.includes(':') ? 6 : 4;
  const value = family === 4 ? parseV4(addr) : parseV6(addr);
  if (value === undefined) return undefined;
  const prefix = len === undefined ? BITS[family] : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= BITS[family])) return undefined;
  return { family, base: value & mask(family, prefix), prefix };
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** Renders a block (IPv6 in the compressed form of RFC 5952). */
export function formatBlock(b: IpBlock): string {
  if (b.family === 4) return `${[24n, 16n, 8n, 0n].map((s) => Number((b.base >> s) & 255n)).join('.')}/${b.prefix}`;
  const groups = Array.from({ length: 8 }, (_, i) => Number((b.base >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text = best < 0 ? hex.join(':') : `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
  return `${text}/${b.prefix}`;
}

/** Whether the block is the whole address space of its family (0.0.0.0/0, ::/0). */
export function isWholeSpace(b: IpBlock): boolean {
  return b.prefix === 0;
}

/** Whether `outer` contains `inner` (same family, no wider prefix, same network). */
export function blockContains(outer: IpBlock, inner: IpBlock): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && (inner.base & mask(inner.family, outer.prefix)) === outer.base;
}

/** Whether two blocks share an address. */
export function blocksOverlap(a: IpBlock, b: IpBlock): boolean {
  return blockContains(a, b) || blockContains(b, a);
}

/**
 * The parts of `inner` that no block of `outers` covers, as blocks (empty = covered by the union). Exact: a block
 * partly covered is split in halves until each half is covered or disjoint; the depth is bounded by the longest
 * prefix among `outers`.
 */
export function uncoveredBlocks(inner: IpBlock, outers: readonly IpBlock[]): IpBlock[] {
  const relevant = outers.filter((o) => blocksOverlap(o, inner));
  if (relevant.some((o) => blockContains(o, inner))) return [];
  if (relevant.length === 0) return [inner];
  // Every relevant block is strictly inside `inner`, so `inner` is wider than a single address: split it.
  const prefix = inner.prefix + 1;
  const half = 1n << BigInt(BITS[inner.family] - prefix);
  return [inner.base, inner.base + half].flatMap((base) => uncoveredBlocks({ family: inner.family, base, prefix }, relevant));
}
