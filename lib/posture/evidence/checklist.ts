import type { Posture, RetentionEntry, SecretEntry } from '../types';
import { boundaryNamespaces, defaultDenyOf } from './boundary-namespaces';
import { limits } from './controls/api-keys';
import { auditBuckets } from './controls/retention';
import { describePeer, describeRulePorts, plural, uniqueSorted } from './describe';
import type { ChecklistSection, EvidenceOptions, EvidenceTable } from './types';

/** Placeholder of the change-history item when no diff is passed. */
export const DIFF_PLACEHOLDER = 'No diff attached. Run `pab diff <previous spec|dist|posture.json> <this one>` and attach its output here.';

const table = (columns: string[], rows: string[][], empty: string): EvidenceTable => ({ columns, rows, empty });
const yesNo = (v: boolean | undefined, yes = 'yes', no = 'no'): string => (v === undefined ? 'not recorded' : v ? yes : no);

/** The review checklist that follows the matrix: nine items, each with facts from the posture and what to confirm. */
export function reviewChecklist(posture: Posture, options: EvidenceOptions = {}): ChecklistSection[] {
  return [environment(posture), identity(posture), modelAccess(posture), audit(posture), secrets(posture), redaction(posture),
    monitoring(posture), changeHistory(posture, options), handOff(posture)];
}

function environment(p: Posture): ChecklistSection {
  const namespaces = boundaryNamespaces(p);
  const paths = p.network.filter((r) => r.mechanism !== 'default-deny' && r.peers.length > 0);
  const publicCount = paths.filter((r) => r.public).length;
  return {
    id: 'environment', title: 'Environment boundary and network path',
    facts: [
      `Boundary ${p.boundary}${p.owners.customer ? ` of ${p.owners.customer}` : ''}, read from ${uniqueSorted(p.sources.map((s) => s.target)).join(', ') || 'no artifact'}.`,
      `${plural(namespaces.length, 'boundary namespace')}, ${plural(paths.length, 'allowed path')}, ${publicCount === 0 ? 'none of them public' : `${publicCount} public (listed first)`}; everything else is denied.`,
    ],
    confirm: ['Every allowed path has a purpose you accept.', publicCount === 0 ? 'No path from the internet is expected.' : 'Each public path is intended and its reason holds.',
      'The callers admitted from outside the boundary are the intended consumers.'],
    tables: [
      { caption: 'Zones', table: table(['namespace', 'Pod Security (enforce / audit / warn)', 'default-deny', 'deviations from the baseline'], namespaces.map((ns) => {
        const h = p.hardening.find((x) => x.namespace === ns);
        const deny = (['ingress', 'egress'] as const).filter((d) => defaultDenyOf(p, ns, d));
        return [ns, h ? `${h.pss.enforce} / ${h.pss.audit} / ${h.pss.warn}` : 'not recorded', deny.length === 2 ? 'ingress and egress' : deny.length === 1 ? `${deny[0]} only` : 'none',
          h && h.deviations.length > 0 ? h.deviations.join('; ') : 'none'];
      }), 'No boundary namespace recorded.') },
      { caption: 'Allowed paths', table: table(['direction', 'enforced by', 'subject', 'peers', 'ports', 'purpose'], paths.map((r) => [
        r.public ? `${r.direction} (public)` : r.direction, `${r.layer} ${r.mechanism}`, describePeer(r.subject), r.peers.map(describePeer).join(', '),
        describeRulePorts(r), r.purpose ?? 'not recorded']), 'No allowed path recorded.') },
    ],
  };
}

function identity(p: Posture): ChecklistSection {
  return {
    id: 'identity', title: 'Identity and role mapping',
    facts: [`${plural(p.identity.length, 'principal')} with access across ${uniqueSorted(p.identity.map((g) => g.layer)).join(' and ') || 'no layer'}.`],
    confirm: ['Each IdP group maps to the right team.', 'Each grant\'s level, scope and expiry match its ticket.', 'Break-glass requires MFA and its use is alerted.'],
    tables: [{ caption: 'Principals', table: table(['principal', 'kind', 'layer', 'level', 'scope', 'MFA', 'expires'], p.identity.map((g) => [
      g.principal.name, g.principal.kind, g.layer, g.level, g.scope === 'cluster' ? 'cluster' : g.scope.join(', '), yesNo(g.mfa, 'required', 'not required'), g.expires ?? 'never',
    ]), 'No principal recorded.') }],
  };
}

function modelAccess(p: Posture): ChecklistSection {
  return {
    id: 'model-access', title: 'Approved model access',
    facts: [`${plural(uniqueSorted(p.modelAccess.map((a) => a.team)).length, 'team')} × ${plural(uniqueSorted(p.modelAccess.map((a) => a.model)).length, 'model')} through the gateway; nothing else reaches a model runtime.`],
    confirm: ['Each team may use only the models listed.', 'The limits fit each team\'s expected load.'],
    tables: [{ caption: 'Team × model', table: table(['team', 'model', 'IdP groups', 'limits'], p.modelAccess.map((a) => [a.team, a.model, a.groups.join(', ') || 'none', limits(a)]),
      'No team may call a model.') }],
  };
}

function retentionRow(r: RetentionEntry): string[] {
  return [r.name, r.kind, r.lock ?? 'n/a', r.lockDays === undefined ? 'n/a' : String(r.lockDays), r.days === undefined ? 'never' : `${r.days} days`,
    yesNo(r.legalHold), yesNo(r.versioned), r.reason ?? 'none recorded'];
}

function audit(p: Posture): ChecklistSection {
  const buckets = auditBuckets(p);
  return {
    id: 'audit', title: 'Audit log ownership and retention',
    facts: [
      `Owner of the audit records: ${p.owners.owner ?? 'not recorded'}${p.owners.customer ? ` (${p.owners.customer})` : ''}.`,
      buckets.length > 0 ? `Audit buckets: ${buckets.map((b) => b.name).join(', ')}.` : 'No audit bucket in the artifacts: the request-audit store is the customer\'s.',
    ],
    confirm: ['Retention meets the customer\'s policy (and any reason for less is accepted).', 'Who may shorten retention or delete records is known.'],
    tables: [{ caption: 'Stores and retention', table: table(['name', 'kind', 'Object Lock', 'lock days', 'expires after', 'legal hold', 'versioned', 'reason'],
      p.retention.map(retentionRow), 'No retention recorded.') }],
  };
}

function rotationText(s: SecretEntry): string {
  if (!s.rotation) return 'not recorded';
  const days = s.rotation.days === undefined ? '' : ` every ${s.rotation.days} days`;
  if (s.rotation.by === 'none') return `none${s.rotation.reason ? ` (${s.rotation.reason})` : ''}`;
  return `${s.rotation.by}${days}`;
}

function secrets(p: Posture): ChecklistSection {
  const owner = (s: SecretEntry) => p.owners.secretOwners.find((o) => o.secret === s.name)?.owner ?? '';
  return {
    id: 'secrets', title: 'Secrets storage and rotation',
    facts: [`${plural(p.secrets.length, 'secret')} in ${uniqueSorted(p.secrets.map((s) => s.store)).join(', ') || 'no store'}; the artifacts hold references, never values.`],
    confirm: ['Each secret\'s readers are the workloads that need it.', 'Rotation owners know their schedule.'],
    tables: [{ caption: 'Secrets', table: table(['secret', 'store', 'at rest', 'KMS key', 'rotation', 'readers', 'value owner'], p.secrets.map((s) => [
      s.name, s.store, s.atRest ?? 'not recorded', s.kmsKey ?? '', rotationText(s), s.readers.join(', ') || 'none', owner(s),
    ]), 'No secret recorded.') }],
  };
}

function redaction(p: Posture): ChecklistSection {
  return {
    id: 'redaction', title: 'Redaction requirements',
    facts: [p.redaction.length > 0 ? `${plural(p.redaction.length, 'PII entity', 'PII entities')} handled by the gateway.` : 'No redaction: prompts reach the models unfiltered.'],
    confirm: ['The entities cover the personal data users may send.', 'Entities let through (allow) are accepted.'],
    tables: [{ caption: 'Entities', table: table(['entity', 'action', 'enforced by'], p.redaction.map((r) => [r.entity, r.action, r.enforcedBy]), 'No entity redacted.') }],
  };
}

/** What a log group or trail records, from its name (names the boundary's targets derive). */
export function signalOf(r: RetentionEntry): string {
  if (r.kind === 'trail') return 'CloudTrail (API activity)';
  if (/flow-logs?/.test(r.name)) return 'VPC flow logs';
  if (r.name.startsWith('aws-waf-logs')) return 'WAF logs';
  if (r.name.startsWith('/aws/cloudtrail/')) return 'CloudTrail (CloudWatch Logs copy)';
  if (r.name.startsWith('/aws/eks/')) return 'EKS control plane';
  if (r.name.startsWith('/aws/rds/')) return 'Database (RDS)';
  return 'Log group';
}

function monitoring(p: Posture): ChecklistSection {
  const signals = p.retention.filter((r) => r.kind === 'log-group' || r.kind === 'trail');
  const enc = (r: RetentionEntry) => p.encryption.find((e) => (e.kind === 'log-group' || e.kind === 'cloudtrail') && e.name === r.name)?.atRest ?? 'not recorded';
  return {
    id: 'monitoring', title: 'Monitoring signals',
    facts: [signals.length > 0 ? `${plural(signals.length, 'signal')} the template creates; alerting on them is the customer's.`
      : 'No log group or trail in the artifacts: monitoring is the customer\'s.'],
    confirm: ['Each signal feeds the customer\'s monitoring and alerting.', 'Break-glass use and public-path changes raise an alert.'],
    tables: [{ caption: 'Signals', table: table(['signal', 'name', 'retention', 'encryption at rest'], signals.map((r) => [signalOf(r), r.name,
      r.days === undefined ? (r.lockDays !== undefined ? `locked ${r.lockDays} days, never expires` : 'never expires') : `${r.days} days`, enc(r)]), 'No signal recorded.') }],
  };
}

function changeHistory(p: Posture, options: EvidenceOptions): ChecklistSection {
  return {
    id: 'change-history', title: 'Change history',
    facts: ['The posture was read from these artifacts; their digests identify exactly what was reviewed.'],
    confirm: ['The digests match the artifacts being deployed.', 'Every broadening change in the diff is acknowledged with a reason and a ticket.'],
    tables: [{ caption: 'Sources', table: table(['target', 'artifact', 'sha256'], p.sources.map((s) => [s.target, s.artifact, s.sha256]), 'No source recorded.') }],
    preformatted: { caption: 'pab diff', text: options.diff?.trimEnd() || DIFF_PLACEHOLDER },
  };
}

function handOff(p: Posture): ChecklistSection {
  const breakGlass = p.identity.filter((g) => g.level === 'cluster-admin');
  const rows: string[][] = [];
  if (p.owners.customer) rows.push(['customer', p.owners.customer]);
  if (p.owners.owner) rows.push(['boundary owner', p.owners.owner]);
  for (const o of p.owners.secretOwners) rows.push([`owner of secret ${o.secret}`, o.owner]);
  for (const g of breakGlass) rows.push([`break-glass (${g.layer})`, `${g.principal.name}${g.mfa === true ? ', MFA required' : ''}`]);
  return {
    id: 'hand-off', title: 'Incident hand-off',
    facts: [breakGlass.length > 0 ? `Break-glass: ${uniqueSorted(breakGlass.map((g) => g.principal.name)).join(', ')}.` : 'No break-glass principal: incident access goes through the customer\'s own cluster administration.'],
    confirm: ['The contacts are current and reachable out of hours.', 'The break-glass procedure has been exercised.'],
    tables: [{ caption: 'Who to call', table: table(['role', 'who'], rows, 'No owner recorded.') }],
  };
}
