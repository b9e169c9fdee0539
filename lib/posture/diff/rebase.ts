import type { Posture } from '../types';

/** What a posture is rebased onto: the placeholders that replace one boundary's own names. */
export const PLACEHOLDER = { boundary: '<boundary>', account: '<account>', region: '<region>' } as const;

const ARN_ACCOUNT = /arn:aws[a-z-]*:[a-z0-9-]*:([a-z]{2}(?:-[a-z]+)+-\d)?:(\d{12}):/g;

/** The AWS account and Region most ARNs of a posture name (undefined on a customer-run cluster). */
export function awsPlacementOf(p: Posture): { account?: string; region?: string } {
  const text = JSON.stringify(p);
  const accounts = new Map<string, number>();
  const regions = new Map<string, number>();
  for (const m of text.matchAll(ARN_ACCOUNT)) {
    accounts.set(m[2], (accounts.get(m[2]) ?? 0) + 1);
    if (m[1]) regions.set(m[1], (regions.get(m[1]) ?? 0) + 1);
  }
  const top = (counts: Map<string, number>): string | undefined =>
    [...counts.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))[0]?.[0];
  return { account: top(accounts), region: top(regions) };
}

/**
 * A posture with the boundary's own name, AWS account and Region replaced by placeholders in every key and value,
 * so that two boundaries (a customer and a golden baseline spec) line up entry by entry: `acme-prod-gateway` and
 * `baseline-gateway` both become `<boundary>-gateway`. A name is replaced only as a whole token (not inside a longer
 * word), and inside CloudFormation logical ids without their hash suffix; `boundary` and `sources` are left as they are.
 */
export function rebasePosture(p: Posture): Posture {
  const { account, region } = awsPlacementOf(p);
  const compact = p.boundary.replace(/-/g, '');
  const rules: [RegExp, string | ((...m: string[]) => string)][] = [
    // CloudFormation logical ids (`BoundarySecretspabacmeprodgatewaymasterkey8AC0036E`) carry the name without dashes
    // and a hash of the construct path, which differs with the name: both are dropped.
    [new RegExp(`\\b([A-Za-z0-9]*)${compact}([A-Za-z0-9]*?)[0-9A-F]{8}\\b`, 'g'), (_m, a, b) => `${a}${PLACEHOLDER.boundary}${b}`],
    [token(p.boundary), PLACEHOLDER.boundary],
  ];
  if (account) rules.push([new RegExp(`(?<!\\d)${account}(?!\\d)`, 'g'), PLACEHOLDER.account]);
  if (region) rules.push([token(region), PLACEHOLDER.region]);
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return rules.reduce((s, [re, to]) => s.replace(re, to as string), value);
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [rewrite(k) as string, rewrite(v)]));
    return value;
  };
  const { boundary, sources, ...rest } = p;
  return { ...(rewrite(rest) as Omit<Posture, 'boundary' | 'sources'>), boundary, sources };
}

/** A name as a whole token: not preceded or followed by a letter or digit (`-`, `/`, `.`, `:` delimit). */
function token(name: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g');
}
