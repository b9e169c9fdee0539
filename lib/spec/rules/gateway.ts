import { show } from '../problems';
import type { RuleContext } from './context';
import { list } from './gpu';

/** Presidio entity names: upper-case words joined by '_' (PERSON, EMAIL_ADDRESS, US_SSN, ...). */
const ENTITY = /^[A-Z][A-Z0-9_]{1,63}$/;

/** PAB-GW-* and PAB-REF-002: gateway sizing, redaction, teams' models and limits. */
export function gatewayRules(ctx: RuleContext): void {
  const { spec, problems } = ctx;
  const gw = spec.gateway;
  const path = ['spec', 'gateway'];
  if (gw.replicas < 1 || gw.replicas > 50) problems.error('PAB-GW-001', [...path, 'replicas'], `${gw.replicas} is out of range — use 1 to 50`);
  else if (gw.replicas === 1) problems.warn('PAB-GW-001', [...path, 'replicas'], '1 replica: the gateway is down during any node drain — use 2 or more');
  checkLimits(ctx, gw.rateLimits, [...path, 'rateLimits']);

  const seen = new Map<string, number>();
  gw.redaction.forEach((rule, i) => {
    if (rule.entities.length === 0) problems.error('PAB-GW-002', [...path, 'redaction', i, 'entities'], 'list at least one entity');
    rule.entities.forEach((e, j) => {
      const at = [...path, 'redaction', i, 'entities', j];
      if (!ENTITY.test(e)) problems.error('PAB-GW-002', at, `${show(e)} is not a Presidio entity name like EMAIL_ADDRESS`);
      const first = seen.get(e);
      if (first !== undefined) problems.error('PAB-GW-003', at, `${e} already has a rule in redaction[${first}] — one action per entity`);
      else seen.set(e, i);
    });
  });
  if (gw.redaction.length > 0 && !gw.presidio) {
    problems.error('PAB-GW-004', [...path, 'presidio'], 'redaction needs the Presidio analyzer and anonymizer images (presidio.analyzerImage, presidio.anonymizerImage), pinned by digest');
  }
  if (gw.redaction.length === 0 && gw.presidio) problems.warn('PAB-GW-004', [...path, 'presidio'], 'is ignored: no redaction rule is declared');
  if (gw.redaction.length === 0) problems.warn('PAB-GW-005', [...path, 'redaction'], 'no redaction: prompts reach the models unfiltered');

  const models = new Set(spec.models.map((m) => m.name));
  spec.teams.forEach((t, i) => {
    const at = ['spec', 'teams', i];
    if (t.models.length === 0) problems.warn('PAB-REF-002', [...at, 'models'], `team "${t.name}" may call no model`);
    t.models.forEach((m, j) => {
      if (!models.has(m)) problems.error('PAB-REF-002', [...at, 'models', j], `${show(m)} is not a declared model — declared: ${list(models)}`);
    });
    if (ctx.manifest.spec.teams?.[i]?.rateLimits) {
      checkLimits(ctx, t.rateLimits, [...at, 'rateLimits']);
      if (t.rateLimits.requestsPerMinute > gw.rateLimits.requestsPerMinute) {
        problems.error('PAB-GW-006', [...at, 'rateLimits', 'requestsPerMinute'], `${t.rateLimits.requestsPerMinute} exceeds the gateway's ${gw.rateLimits.requestsPerMinute}`);
      }
      if (t.rateLimits.tokensPerMinute > gw.rateLimits.tokensPerMinute) {
        problems.error('PAB-GW-006', [...at, 'rateLimits', 'tokensPerMinute'], `${t.rateLimits.tokensPerMinute} exceeds the gateway's ${gw.rateLimits.tokensPerMinute}`);
      }
    }
    if (t.gpuQuota < 0 || t.gpuQuota > 1024) problems.error('PAB-GW-007', [...at, 'gpuQuota'], `${t.gpuQuota} is out of range — use 0 to 1024`);
  });
}

function checkLimits(ctx: RuleContext, l: { requestsPerMinute: number; tokensPerMinute: number }, path: readonly (string | number)[]): void {
  if (l.requestsPerMinute < 1 || l.requestsPerMinute > 1_000_000) {
    ctx.problems.error('PAB-GW-006', [...path, 'requestsPerMinute'], `${l.requestsPerMinute} is out of range — use 1 to 1000000`);
  }
  if (l.tokensPerMinute < 1 || l.tokensPerMinute > 1_000_000_000) {
    ctx.problems.error('PAB-GW-006', [...path, 'tokensPerMinute'], `${l.tokensPerMinute} is out of range — use 1 to 1000000000`);
  }
}
