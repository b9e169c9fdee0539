import { GRANT_EXPIRY_WARNING_DAYS } from '../defaults';
import { grantBindingNameOf, grantGroupOf, PRINCIPAL_ARN } from '../principal';
import { show } from '../problems';
import type { RuleContext } from './context';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,64}$/;
const DAY_MS = 86_400_000;

/** The instant a grant ends: 00:00 UTC the day after its `expires` date. */
export function grantEnd(expires: string): Date {
  return new Date(Date.parse(`${expires}T00:00:00Z`) + DAY_MS);
}

/** PAB-ACC-*: break-glass needs MFA, grants are well-formed, distinct, unexpired and justified. */
export function accessRules(ctx: RuleContext): void {
  const { spec, problems } = ctx;
  const bg = spec.access.breakGlass;
  const account = spec.aws?.account;
  if (bg) {
    const m = ROLE_ARN.exec(bg.roleArn);
    if (!m) problems.error('PAB-ACC-001', ['spec', 'access', 'breakGlass', 'roleArn'], `${show(bg.roleArn)} is not an IAM role ARN`);
    else if (account && m[1] !== account) {
      problems.error('PAB-ACC-001', ['spec', 'access', 'breakGlass', 'roleArn'], `role is in account ${m[1]} but the boundary is in ${account}`);
    }
    if (!bg.requireMfa) {
      problems.error('PAB-ACC-002', ['spec', 'access', 'breakGlass', 'requireMfa'], 'false is not allowed — break-glass access always requires MFA');
    }
  }
  const principals = new Map<string, number>();
  const identities = new Map<string, number>();
  spec.access.grants.forEach((g, i) => {
    const path = ['spec', 'access', 'grants', i];
    const wellFormed = PRINCIPAL_ARN.test(g.principal);
    if (!wellFormed) problems.error('PAB-ACC-003', [...path, 'principal'], `${show(g.principal)} is not an IAM role or user ARN`);
    const dup = principals.get(g.principal);
    if (dup !== undefined) problems.error('PAB-ACC-003', [...path, 'principal'], `already granted in grants[${dup}] — one grant per principal`);
    principals.set(g.principal, i);
    if (wellFormed && dup === undefined) {
      // Defence in depth: the group and binding names are derived to be distinct per ARN; refuse any that still meet
      // (ARNs differing only in partition, or in case — IAM names are case-insensitive, Kubernetes groups are not).
      const clash = [grantGroupOf(g.principal).toLowerCase(), grantBindingNameOf(g.principal)].map((k) => identities.get(k)).find((k) => k !== undefined);
      if (clash !== undefined) {
        problems.error('PAB-ACC-003', [...path, 'principal'],
          `maps to the same Kubernetes group or RoleBinding as grants[${clash}] (${spec.access.grants[clash].principal}) — the two would share privileges; keep one grant per IAM principal`);
      } else {
        identities.set(grantGroupOf(g.principal).toLowerCase(), i);
        identities.set(grantBindingNameOf(g.principal), i);
      }
    }
    if (g.level === 'edit' || g.level === 'admin') {
      problems.warn('PAB-ACC-008', [...path, 'level'],
        `${g.level} can read Secrets in the boundary namespaces, including the gateway master key and the model API keys — use view unless the ticket needs write access`);
    }
    if (bg && g.principal === bg.roleArn) problems.error('PAB-ACC-003', [...path, 'principal'], 'is the break-glass role — it cannot also hold a grant');
    if (g.reason.trim().length < 8) problems.error('PAB-ACC-004', [...path, 'reason'], 'a grant needs a reason a reviewer can trace (e.g. a ticket id)');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(g.expires) || Number.isNaN(Date.parse(`${g.expires}T00:00:00Z`))) {
      problems.error('PAB-ACC-005', [...path, 'expires'], `${show(g.expires)} is not a date — use YYYY-MM-DD`);
      return;
    }
    const end = grantEnd(g.expires).getTime();
    const left = (end - ctx.now.getTime()) / DAY_MS;
    if (left <= 0) {
      problems.error('PAB-ACC-006', [...path, 'expires'], `${g.expires} has passed — remove the grant or renew it with a new reason`);
    } else if (left < GRANT_EXPIRY_WARNING_DAYS) {
      problems.warn('PAB-ACC-006', [...path, 'expires'], `${g.expires}: expires in ${Math.ceil(left)} day(s)`);
    } else if (left > 366) {
      problems.error('PAB-ACC-007', [...path, 'expires'], `${g.expires} is more than a year away — time-bound grants last at most 366 days`);
    }
  });
}
