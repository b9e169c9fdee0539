import { ordinal, type K8sObject } from '../k8s/k8s-object';
import { objectKey } from './dependencies';
import type { RegisteredResource } from './mock-registration';

/**
 * A value as canonical JSON: object keys sorted (ordinal), nothing else changed. Key order is the only normalization
 * parity applies — YAML/JSON key order carries no meaning, and the Pulumi SDK rebuilds every object through protobuf
 * Structs, whose field order is not the input's. Values, arrays (order included), empty objects and types are compared
 * as they are.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** A deep copy with every object's keys in ordinal order. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort(ordinal).map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])) as T;
}

/**
 * Differences between the Kubernetes objects a Pulumi program registered and the objects of the Kubernetes target,
 * one line each; empty when they are the same set. Compared per object (`Kind/namespace/name`): present on both
 * sides, registered with its kind's type token (`typeToken`), and inputs equal to the object after `canonicalJson`.
 * Resources that are not Kubernetes objects (the component itself) are ignored.
 */
export function parityDifferences(objects: readonly K8sObject[], registered: readonly RegisteredResource[]): string[] {
  const expected = new Map(objects.map((o) => [objectKey(o), o]));
  const actual = new Map<string, RegisteredResource>();
  const problems: string[] = [];
  for (const r of registered.filter((x) => x.type.startsWith('kubernetes:'))) {
    const inputs = r.inputs as Partial<K8sObject>;
    if (!inputs.kind || !inputs.metadata?.name) {
      problems.push(`${r.type} ${r.name}: registered without kind or metadata.name`);
      continue;
    }
    const key = objectKey(inputs as K8sObject);
    if (actual.has(key)) problems.push(`${key}: registered twice`);
    actual.set(key, r);
  }
  for (const [key, o] of expected) {
    const r = actual.get(key);
    if (!r) {
      problems.push(`${key}: in the Kubernetes target, not registered by the Pulumi target`);
      continue;
    }
    const type = typeToken(o);
    if (r.type !== type) problems.push(`${key}: registered as ${r.type}, expected ${type}`);
    const want = canonicalJson(o);
    const got = canonicalJson(r.inputs);
    if (want !== got) problems.push(`${key}: inputs differ at ${firstDifference(sortKeys(o), sortKeys(r.inputs))}`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) problems.push(`${key}: registered by the Pulumi target, not in the Kubernetes target`);
  return problems.sort(ordinal);
}

/** Pulumi type token of a Kubernetes object: `kubernetes:<apiVersion>:<kind>`, the core group spelled `core/v1`. */
export function typeToken(o: Pick<K8sObject, 'apiVersion' | 'kind'>): string {
  return `kubernetes:${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`;
}

/** Path of the first difference between two JSON values, with both sides, for a readable failure. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (canonicalJson(a) === canonicalJson(b)) return '(none)';
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(ordinal);
    for (const k of keys) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (canonicalJson(x) !== canonicalJson(y)) return firstDifference(x, y, Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
    }
  }
  return `${path || '.'}: Kubernetes target ${JSON.stringify(a) ?? '(absent)'}, Pulumi target ${JSON.stringify(b) ?? '(absent)'}`;
}
