import type { PortRange } from '../types';

/**
 * Port ranges per protocol. `all` is every IP protocol (AWS `-1`, a NetworkPolicy rule without ports), so it
 * contains tcp/udp/icmp ranges, while tcp + udp + icmp together do not contain `all` (SCTP, ESP … remain).
 */

const MAX_PORT = 65535;

/** Renders a range the way a reviewer reads it: `tcp/443`, `udp/1024-2047`, `tcp/*`, `all`. */
export function portText(p: PortRange): string {
  if (p.protocol === 'all') return 'all';
  if (p.from <= 0 && p.to >= MAX_PORT) return `${p.protocol}/*`;
  return p.from === p.to ? `${p.protocol}/${p.from}` : `${p.protocol}/${p.from}-${p.to}`;
}

/** The parts of `inner` that no range of `outers` covers (empty = covered). */
export function uncoveredPorts(inner: PortRange, outers: readonly PortRange[]): PortRange[] {
  if (outers.some((o) => o.protocol === 'all')) return [];
  if (inner.protocol === 'all') return [inner];
  const same = outers.filter((o) => o.protocol === inner.protocol).map((o) => [o.from, o.to] as const).sort((a, b) => a[0] - b[0]);
  const gaps: PortRange[] = [];
  let next = inner.from;
  for (const [from, to] of same) {
    if (next > inner.to) break;
    if (to < next) continue;
    if (from > next) gaps.push({ protocol: inner.protocol, from: next, to: Math.min(from - 1, inner.to) });
    next = Math.max(next, to + 1);
  }
  if (next <= inner.to) gaps.push({ protocol: inner.protocol, from: next, to: inner.to });
  return gaps;
}

/** The parts of every range of `inner` that `outers` does not cover. */
export function portsNotIn(inner: readonly PortRange[], outers: readonly PortRange[]): PortRange[] {
  return inner.flatMap((p) => uncoveredPorts(p, outers));
}
