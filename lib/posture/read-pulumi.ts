import type { K8sObject } from '../k8s/k8s-object';
import type { PostureFragment } from './normalize';
import { readKubernetesObjects } from './read-kubernetes';

/**
 * One resource of `dist/<name>/pulumi/resources.json`, as the Pulumi target records what its program registers
 * (lib/pulumi/mock-registration.ts `RegisteredResource`): a type token, a name, the parent's URN, and the inputs.
 * Only the fields read here are declared.
 */
export interface PulumiResourceRecord {
  /** Type token, e.g. `kubernetes:core/v1:Namespace`, `kubernetes:external-secrets.io/v1:ExternalSecret`. */
  readonly type: string;
  /** Pulumi resource name. */
  readonly name: string;
  /**
   * URN of the parent.
   * @default - none: a child of the stack itself
   */
  readonly parent?: string;
  /** Inputs; for a Kubernetes resource, the Kubernetes object itself. */
  readonly inputs: Record<string, unknown>;
}

/** Thrown when a resources.json cannot be read. */
export class PulumiResourcesReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PulumiResourcesReadError';
  }
}

/**
 * The resource records of a `resources.json`: a JSON array of records, or an object holding them under `resources`.
 * Throws `PulumiResourcesReadError` naming the file and the entry on anything else.
 */
export function parsePulumiResources(text: string, file: string): PulumiResourceRecord[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PulumiResourcesReadError(`${file}: not JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(list)) throw new PulumiResourcesReadError(`${file}: expected an array of resources (or { "resources": [...] })`);
  return list.map((r, i) => {
    const rec = r as Partial<PulumiResourceRecord> | null;
    if (!rec || typeof rec !== 'object' || typeof rec.type !== 'string' || typeof rec.name !== 'string') {
      throw new PulumiResourcesReadError(`${file}: resources[${i}]: type and name must be strings`);
    }
    if (rec.inputs !== undefined && (rec.inputs === null || typeof rec.inputs !== 'object' || Array.isArray(rec.inputs))) {
      throw new PulumiResourcesReadError(`${file}: resources[${i}] (${rec.name}): inputs must be an object`);
    }
    return { type: rec.type, name: rec.name, ...(rec.parent ? { parent: rec.parent } : {}), inputs: (rec.inputs ?? {}) as Record<string, unknown> };
  });
}

/**
 * The Kubernetes objects a Pulumi program registers: every resource whose type token is `kubernetes:…` (a typed
 * @pulumi/kubernetes class or `apiextensions.CustomResource`) other than the provider itself, with its inputs as
 * the object. Providers, components and non-Kubernetes resources carry no object and are skipped.
 */
export function kubernetesObjectsFromPulumi(records: readonly PulumiResourceRecord[], file: string): K8sObject[] {
  return records.filter((r) => r.type.startsWith('kubernetes:') && !r.type.startsWith('pulumi:providers:')).map((r) => {
    const o = r.inputs as Partial<K8sObject>;
    if (typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || typeof o.metadata?.name !== 'string') {
      throw new PulumiResourcesReadError(`${file}: ${r.type} ${r.name}: inputs are not a Kubernetes object (apiVersion, kind and metadata.name required)`);
    }
    return o as K8sObject;
  });
}

/**
 * Reads the posture of a Pulumi target's `resources.json`: its Kubernetes objects, read exactly as the Kubernetes
 * target's manifests are (`readKubernetesObjects`), so both targets of one spec have the same posture.
 */
export function readPulumiResources(text: string, file: string): PostureFragment {
  return readKubernetesObjects(kubernetesObjectsFromPulumi(parsePulumiResources(text, file), file));
}
