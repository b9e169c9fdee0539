import { show } from '../problems';
import { checkUnique, type RuleContext } from './context';

/** DNS-1123 label: lowercase letters, digits and '-', starting with a letter, ending with a letter or digit. */
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Maximum length of each kind of name, so every derived name (namespaces, roles) stays within 63 characters. */
export const NAME_MAX_LENGTH = { boundary: 32, pool: 24, model: 24, team: 24, consumer: 63, secret: 40 } as const;

/** Checks one name; returns true when it is valid. */
export function checkName(ctx: RuleContext, value: string, path: readonly (string | number)[], max: number): boolean {
  if (!DNS_LABEL.test(value) || value.length > max) {
    ctx.problems.error('PAB-NAME-001', path,
      `${show(value)} is not a valid name — use lowercase letters, digits and '-', start with a letter, at most ${max} characters`);
    return false;
  }
  return true;
}

/** PAB-NAME-*: every name is a DNS label of bounded length and unique in its list; owners are e-mail addresses. */
export function nameRules(ctx: RuleContext): void {
  const { spec } = ctx;
  checkName(ctx, spec.name, ['metadata', 'name'], NAME_MAX_LENGTH.boundary);
  checkEmail(ctx, spec.owner, ['metadata', 'owner']);
  if (spec.customer.trim() === '') ctx.problems.error('PAB-NAME-003', ['metadata', 'customer'], 'must not be empty');
  for (const [key, value] of Object.entries(spec.labels)) {
    if (!LABEL_KEY.test(key) || !LABEL_VALUE.test(value)) {
      ctx.problems.error('PAB-NAME-004', ['metadata', 'labels', key], `${show(key)}: ${show(value)} is not a valid Kubernetes label`);
    }
  }
  spec.gpuNodePools.forEach((p, i) => checkName(ctx, p.name, ['spec', 'gpuNodePools', i, 'name'], NAME_MAX_LENGTH.pool));
  spec.models.forEach((m, i) => checkName(ctx, m.name, ['spec', 'models', i, 'name'], NAME_MAX_LENGTH.model));
  spec.teams.forEach((t, i) => {
    checkName(ctx, t.name, ['spec', 'teams', i, 'name'], NAME_MAX_LENGTH.team);
    if (t.groups.length === 0) ctx.problems.error('PAB-NAME-005', ['spec', 'teams', i, 'groups'], 'a team needs at least one IdP group');
    t.groups.forEach((g, j) => {
      if (!/^[\w.@:/-]{1,128}$/.test(g)) {
        ctx.problems.error('PAB-NAME-006', ['spec', 'teams', i, 'groups', j], `${show(g)} is not a group name — letters, digits and . _ @ : / - only`);
      }
    });
  });
  spec.network.consumers.forEach((c, i) => checkName(ctx, c.name, ['spec', 'network', 'consumers', i, 'name'], NAME_MAX_LENGTH.consumer));
  spec.secrets.items.forEach((s, i) => {
    checkName(ctx, s.name, ['spec', 'secrets', 'items', i, 'name'], NAME_MAX_LENGTH.secret);
    checkEmail(ctx, s.owner, ['spec', 'secrets', 'items', i, 'owner']);
  });
  checkUnique(ctx, spec.gpuNodePools, ['spec', 'gpuNodePools'], 'PAB-NAME-002');
  checkUnique(ctx, spec.models, ['spec', 'models'], 'PAB-NAME-002');
  checkUnique(ctx, spec.teams, ['spec', 'teams'], 'PAB-NAME-002');
  checkUnique(ctx, spec.network.consumers, ['spec', 'network', 'consumers'], 'PAB-NAME-002');
  checkUnique(ctx, spec.secrets.items, ['spec', 'secrets', 'items'], 'PAB-NAME-002');
}

function checkEmail(ctx: RuleContext, value: string, path: readonly (string | number)[]): void {
  if (!EMAIL.test(value)) ctx.problems.error('PAB-NAME-007', path, `${show(value)} is not an e-mail address — owners are reachable people or teams`);
}
