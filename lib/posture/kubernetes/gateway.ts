/** Reads the gateway's model access (team desired state) and redaction (LiteLLM Presidio guardrails) from its ConfigMaps. */
import { parse } from 'yaml';
import type { K8sObject } from '../../k8s/k8s-object';
import { sortEvidence, uniqueSorted } from '../normalize';
import { configMapsReadBy, podTemplates } from '../normalize-workloads';
import type { ModelAccess, RedactionAction, RedactionEntry } from '../types';
import { refOf } from './manifests';
import { ANNOTATION as A } from '../../plan/names';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are read as data of many shapes */

function parseData(o: K8sObject, key: string, json: boolean): any {
  const text = (o as any).data?.[key];
  if (typeof text !== 'string') return undefined;
  try {
    return json ? JSON.parse(text) : parse(text);
  } catch {
    return undefined;
  }
}

/** Objects whose pods mount or read ConfigMap `<ns>/<name>`. */
function consumersOf(objects: readonly K8sObject[], ns: string, name: string): K8sObject[] {
  return podTemplates(objects).filter((t) => (t.owner.metadata.namespace ?? 'default') === ns && configMapsReadBy(t.pod).includes(name)).map((t) => t.owner);
}

const REDACTION: Record<string, RedactionAction> = { MASK: 'mask', BLOCK: 'block', ALLOW: 'allow' };
const STRENGTH: readonly RedactionAction[] = ['allow', 'mask', 'block'];

/**
 * Model access from the gateway's team desired state (`desired-state.json`, applied by the reconcile Job through the
 * admin API) and redaction from the LiteLLM `config.yaml` guardrails, both in ConfigMaps of the gateway namespace.
 */
export function gatewayPosture(objects: readonly K8sObject[], index: ReadonlyMap<string, K8sObject>) {
  const modelAccess: ModelAccess[] = [];
  const redaction = new Map<string, RedactionEntry>();
  const configs = objects.filter((o) => o.kind === 'ConfigMap').map((o) => ({ o, config: parseData(o, 'config.yaml', false) }))
    .filter((c) => c.config && Array.isArray(c.config.model_list));
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    const desired = parseData(o, 'desired-state.json', true);
    if (!desired || !Array.isArray(desired.teams)) continue;
    const ns = o.metadata.namespace ?? 'default';
    const appliers = consumersOf(objects, ns, o.metadata.name);
    for (const team of desired.teams) {
      for (const model of uniqueSorted(team.models ?? [])) {
        const serving = configs.filter((c) => c.config.model_list.some((m: any) => m.model_name === model));
        modelAccess.push({
          key: `model-access/${team.team_id}/${model}`,
          evidence: sortEvidence([refOf(o), ...appliers.map(refOf), ...serving.map((c) => refOf(c.o))]),
          team: team.team_id,
          model,
          groups: uniqueSorted(team.metadata?.groups ?? []),
          rateLimits: {
            ...(typeof team.rpm_limit === 'number' ? { requestsPerMinute: team.rpm_limit } : {}),
            ...(typeof team.tpm_limit === 'number' ? { tokensPerMinute: team.tpm_limit } : {}),
          },
        });
      }
    }
  }
  for (const { o, config } of configs) {
    const ns = o.metadata.namespace ?? 'default';
    for (const g of config.guardrails ?? []) {
      const p = g.litellm_params ?? {};
      if (p.guardrail !== 'presidio') continue;
      const modes = Array.isArray(p.mode) ? p.mode : [p.mode].filter(Boolean);
      const enforcedBy = `gateway (presidio guardrail ${g.guardrail_name}, ${modes.join(' + ') || 'no mode'}${p.default_on === true ? '' : ', opt-in per request'})`;
      const services = [p.presidio_analyzer_api_base, p.presidio_anonymizer_api_base].map((u: unknown) => serviceOfUrl(u, ns))
        .flatMap((s) => (s ? [index.get(`Service/${s.ns}/${s.name}`), index.get(`Deployment/${s.ns}/${s.name}`)] : []))
        .filter((x): x is K8sObject => x !== undefined);
      for (const [entity, raw] of Object.entries(p.pii_entities_config ?? {})) {
        const action = REDACTION[String(raw).toUpperCase()];
        if (!action) continue;
        const prev = redaction.get(entity);
        const evidence = sortEvidence([refOf(o), ...services.map(refOf), ...(prev?.evidence ?? [])]);
        const stronger = !prev || STRENGTH.indexOf(action) > STRENGTH.indexOf(prev.action);
        redaction.set(entity, { key: `redaction/${entity}`, entity, action: stronger ? action : prev.action, enforcedBy: stronger ? enforcedBy : prev.enforcedBy, evidence });
      }
    }
  }
  // Entities the spec lets through unredacted (no LiteLLM setting exists for them), recorded on the gateway ConfigMap.
  for (const { o } of configs) {
    const allowed = o.metadata.annotations?.[A.redactionAllowed];
    for (const entity of (allowed ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
      if (redaction.has(entity)) continue;
      redaction.set(entity, { key: `redaction/${entity}`, entity, action: 'allow', enforcedBy: 'gateway (declared pass-through: not redacted)', evidence: [refOf(o)] });
    }
  }
  return { modelAccess, redaction: [...redaction.values()] };
}

/** `http://<service>.<namespace>.svc[.cluster.local]:<port>` → the Service it names. */
function serviceOfUrl(url: unknown, defaultNs: string): { ns: string; name: string } | undefined {
  if (typeof url !== 'string') return undefined;
  const m = /^https?:\/\/([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:\.svc(?:\.cluster\.local)?)?(?::\d+)?(?:\/|$)/.exec(url);
  return m ? { name: m[1], ns: m[2] ?? defaultNs } : undefined;
}
