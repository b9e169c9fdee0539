import { normalizeStatement, sortConditions } from './normalize';
import type { IamCondition, IamStatement } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template fragments are read as data of many shapes */

/** GetAtt attributes that identify the resource itself (an ARN, an id): resolved to the resource's logical id. */
const IDENTITY_ATTRIBUTES = new Set(['Arn', 'GroupId', 'Id', 'Name', 'RoleId', 'KeyId', 'AllocationId', 'Ref']);

/**
 * Resolves a template value to a string only as far as names need it, never calling AWS: `Ref` and `Fn::GetAtt` of
 * a resource → its logical id (`X.Attr` for an attribute that is not the resource's identity, e.g.
 * `Cluster.ClusterSecurityGroupId`), a pseudo parameter → `${AWS::Partition}` (kept symbolic), `Fn::Join` and
 * `Fn::Sub` → their text, `Fn::Select` of `Fn::Split` of a reference → that reference. Anything else becomes
 * `${Fn::<name>}`, so a value never silently reads as a literal it is not.
 */
export function resolveString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(resolveString).join(',');
  const o = value as Record<string, any>;
  if ('Ref' in o) return String(o.Ref).startsWith('AWS::') ? `\${${o.Ref}}` : String(o.Ref);
  if ('Fn::GetAtt' in o) {
    const [id, attr] = Array.isArray(o['Fn::GetAtt']) ? o['Fn::GetAtt'] : String(o['Fn::GetAtt']).split(/\.(.*)/s);
    return attr === undefined || IDENTITY_ATTRIBUTES.has(String(attr)) ? String(id) : `${id}.${attr}`;
  }
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'];
    return (Array.isArray(parts) ? parts.map(resolveString) : [resolveString(parts)]).join(String(sep));
  }
  if ('Fn::Sub' in o) {
    const [text, vars] = Array.isArray(o['Fn::Sub']) ? o['Fn::Sub'] : [o['Fn::Sub'], {}];
    return String(text).replace(/\$\{([^}!][^}]*)\}/g, (whole, name: string) => {
      if (vars && name in vars) return resolveString(vars[name]);
      if (name.startsWith('AWS::')) return whole;
      return name.split('.')[0];
    });
  }
  if ('Fn::Select' in o) {
    const [index, list] = o['Fn::Select'];
    if (Array.isArray(list)) return resolveString(list[Number(index)]);
    if (list && typeof list === 'object' && 'Fn::Split' in list) {
      const [sep, source] = list['Fn::Split'];
      const text = resolveString(source);
      const parts = text.split(String(sep));
      // Splitting a reference (e.g. an OIDC provider's ARN) says nothing without AWS: keep the reference.
      return parts.length > Number(index) && typeof source === 'string' ? parts[Number(index)] : text;
    }
  }
  const fn = Object.keys(o)[0] ?? 'value';
  return `\${${fn}}`;
}

/** A template value as a list of strings (a single value, or each element of an array). */
export function resolveList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(resolveString);
}

/** The logical id a `Ref` / `Fn::GetAtt` names, when the value is one. */
export function referencedId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Record<string, any>;
  if (typeof o.Ref === 'string' && !o.Ref.startsWith('AWS::')) return o.Ref;
  if ('Fn::GetAtt' in o) return Array.isArray(o['Fn::GetAtt']) ? String(o['Fn::GetAtt'][0]) : String(o['Fn::GetAtt']).split('.')[0];
  return undefined;
}

/** Conditions of a statement (`{ Operator: { key: value | [values] } }`), values as strings. */
export function iamConditions(condition: unknown): IamCondition[] {
  const out: IamCondition[] = [];
  for (const [operator, body] of Object.entries((condition ?? {}) as Record<string, any>)) {
    for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
      out.push({ operator, key: resolveString(key), values: resolveList(value) });
    }
  }
  return sortConditions(out);
}

/** Principals of a statement: `*`, ARNs / account ids, service principals, federated providers (`NotPrincipal`: `!`-prefixed). */
export function iamPrincipals(statement: Record<string, any>): string[] | undefined {
  const from = (p: unknown, negate: boolean): string[] => {
    if (p === undefined) return [];
    if (p === '*') return [negate ? '!*' : '*'];
    return Object.values(p as Record<string, unknown>).flatMap(resolveList).map((x) => (negate ? `!${x}` : x));
  };
  if (statement.Principal === undefined && statement.NotPrincipal === undefined) return undefined;
  return [...from(statement.Principal, false), ...from(statement.NotPrincipal, true)];
}

/** The raw statements of a policy document; a document written as a `Fn::Join` of JSON text is resolved and parsed first. */
export function rawStatements(document: unknown): Record<string, any>[] {
  let doc: any = document;
  try {
    if (doc && typeof doc === 'object' && ('Fn::Join' in doc || 'Fn::Sub' in doc)) doc = JSON.parse(resolveString(doc));
    else if (typeof doc === 'string') doc = JSON.parse(doc);
  } catch {
    return [];
  }
  return Array.isArray(doc?.Statement) ? doc.Statement : doc?.Statement ? [doc.Statement] : [];
}

/** One raw statement, normalized: sorted lists, `NotAction`/`NotResource`/`NotPrincipal` entries `!`-prefixed. */
export function iamStatement(s: Record<string, any>): IamStatement {
  const principals = iamPrincipals(s);
  return normalizeStatement({
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: [...resolveList(s.Action), ...resolveList(s.NotAction).map((a) => `!${a}`)],
    resources: [...resolveList(s.Resource), ...resolveList(s.NotResource).map((r) => `!${r}`)],
    conditions: iamConditions(s.Condition),
    ...(principals !== undefined ? { principals } : {}),
  });
}

/** The statements of a policy document, normalized (principals kept for resource policies), in document order. */
export function iamStatements(document: unknown): IamStatement[] {
  return rawStatements(document).map(iamStatement);
}

/** Whether a raw statement names AWS principals (accounts, roles, users, `*`) — the ones MFA applies to. */
export function hasAwsPrincipal(s: Record<string, any>): boolean {
  return s.Principal === '*' || (s.Principal && typeof s.Principal === 'object' && s.Principal.AWS !== undefined);
}

/** Whether a condition set requires MFA (`Bool aws:MultiFactorAuthPresent = true`; the `IfExists` form does not). */
export function requiresMfa(conditions: readonly IamCondition[]): boolean {
  return conditions.some((c) => c.operator === 'Bool' && c.key === 'aws:MultiFactorAuthPresent' && c.values.length > 0 && c.values.every((v) => v === 'true'));
}

/** The end a condition set puts on a statement (`DateLessThan[Equals] aws:CurrentTime`), when it has one. */
export function expiryOf(conditions: readonly IamCondition[]): string | undefined {
  const ends = conditions.filter((c) => (c.operator === 'DateLessThan' || c.operator === 'DateLessThanEquals') && c.key === 'aws:CurrentTime')
    .flatMap((c) => c.values);
  return ends.length > 0 ? [...ends].sort()[0] : undefined;
}

/** Whether any statement requires TLS (`Deny` when `aws:SecureTransport` is false). */
export function denyInsecureTransport(statements: readonly IamStatement[]): boolean {
  return statements.some((s) => s.effect === 'Deny'
    && s.conditions.some((c) => (c.operator === 'Bool' || c.operator === 'BoolIfExists') && c.key === 'aws:SecureTransport' && c.values.includes('false')));
}
