/** Reads a template's Secrets Manager secrets: KMS key, rotation, readers and the owners who set their values. */
import { sortEvidence, uniqueSorted } from '../normalize';
import { iamStatements, resolveString } from '../normalize-iam';
import type { SecretEntry } from '../types';
import type { Template } from './template';
import { TEMPLATE_RECORD } from '../../plan/names';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are read as data of many shapes */

/** Template metadata the SecretsStore construct records on each secret (lib/aws/secrets-store.ts `SECRET_METADATA_KEY`). */
export const SECRET_METADATA_KEY = TEMPLATE_RECORD.secretMetadata;

/** `rate(30 days)` → 30. */
function scheduleDays(expression: unknown): number | undefined {
  const m = /^rate\((\d+)\s+days?\)$/.exec(resolveString(expression).trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * Secrets Manager secrets: KMS key, rotation (a schedule in the template → `template`; else what the SecretsStore
 * construct records in `PrivateAiBoundary::Secret` metadata: the owner rotates every N days → `customer`, not a
 * credential → `none` with that reason), and readers: the only principals the resource policy does not deny reading
 * the value, or the principals it allows; `*` when no resource policy restricts reads.
 */
export function secretEntries(t: Template): { entries: SecretEntry[]; owners: { secret: string; owner: string }[] } {
  const owners: { secret: string; owner: string }[] = [];
  const entries = t.ids('AWS::SecretsManager::Secret').map((id): SecretEntry => {
    const p = t.props(id);
    const name = t.name(id);
    const key = t.key(p.KmsKeyId) ?? { atRest: 'aws-managed' as const };
    const schedules = t.ids('AWS::SecretsManager::RotationSchedule').filter((s) => t.target(t.props(s).SecretId) === id);
    const meta = t.resources[id].Metadata?.[SECRET_METADATA_KEY];
    let rotation: NonNullable<SecretEntry['rotation']> = { by: 'none' };
    if (schedules.length > 0) {
      const rules = t.props(schedules[0]).RotationRules ?? {};
      const days = typeof rules.AutomaticallyAfterDays === 'number' ? rules.AutomaticallyAfterDays : scheduleDays(rules.ScheduleExpression);
      rotation = { by: 'template', ...(days !== undefined ? { days } : {}) };
    } else if (meta?.rotation?.mode === 'owner') {
      rotation = { by: 'customer', ...(typeof meta.rotation.everyDays === 'number' ? { days: meta.rotation.everyDays } : {}) };
    } else if (meta?.rotation?.mode === 'not-a-credential') {
      rotation = { by: 'none', reason: 'not a credential' };
    }
    if (meta?.value === 'set-by-owner' && typeof meta.rotation?.by === 'string') owners.push({ secret: name, owner: meta.rotation.by });
    const policies = t.ids('AWS::SecretsManager::ResourcePolicy').filter((r) => t.target(t.props(r).SecretId) === id);
    const readers = new Set<string>();
    let restricted = false;
    for (const pol of policies) {
      const statements = iamStatements(t.props(pol).ResourcePolicy);
      const raw: any[] = Array.isArray(t.props(pol).ResourcePolicy?.Statement) ? t.props(pol).ResourcePolicy.Statement : [];
      statements.forEach((s, i) => {
        const reads = s.actions.some((a) => a === '*' || a === 'secretsmanager:*' || a === 'secretsmanager:GetSecretValue');
        if (!reads) return;
        if (s.effect === 'Deny' && (s.principals ?? []).includes('*')) {
          const except = Object.entries(raw[i]?.Condition ?? {}).filter(([op]) => /^(StringNotLike|StringNotEquals|ArnNotLike|ArnNotEquals)$/.test(op))
            .flatMap(([, body]) => Object.entries(body as Record<string, unknown>).filter(([k]) => k === 'aws:PrincipalArn').flatMap(([, v]) => (Array.isArray(v) ? v : [v])));
          if (except.length > 0) {
            restricted = true;
            for (const e of except) readers.add(t.principalName(e));
          }
        }
        if (s.effect === 'Allow') {
          const rawPrincipals: unknown[] = Object.values((raw[i]?.Principal ?? {}) as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v : [v]));
          for (const pr of rawPrincipals) readers.add(t.principalName(pr));
        }
      });
    }
    if (!restricted) readers.add('*');
    return {
      key: `secret/aws-secrets-manager/${name}`, store: 'aws-secrets-manager', name, atRest: key.atRest, ...(key.kmsKey ? { kmsKey: key.kmsKey } : {}),
      rotation, readers: uniqueSorted(readers), evidence: sortEvidence([t.ref(id), ...schedules.map((s) => t.ref(s)), ...policies.map((r) => t.ref(r))]),
    };
  });
  return { entries, owners };
}
