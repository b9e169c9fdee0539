/** Reads a manifests file into Kubernetes objects, and names each object as evidence. */
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../k8s/k8s-object';
import { k8sRef } from '../normalize';
import type { EvidenceRef } from '../types';

/** Thrown when a manifests file cannot be read as Kubernetes objects. */
export class ManifestReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestReadError';
  }
}

/** Parses a multi-document YAML stream (`kubernetes/manifests.yaml`) into objects; empty documents are skipped. */
export function parseKubernetesManifests(text: string, file: string): K8sObject[] {
  const objects: K8sObject[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new ManifestReadError(`${file}: document ${i + 1}: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    const o = value as Partial<K8sObject>;
    if (typeof o !== 'object' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
      throw new ManifestReadError(`${file}: document ${i + 1}: not a Kubernetes object (kind and metadata.name required)`);
    }
    objects.push(o as K8sObject);
  });
  return objects;
}

/** The evidence reference of an object: `<kind>/<namespace>/<name>`. */
export function refOf(o: K8sObject): EvidenceRef {
  return k8sRef(o.kind, o.metadata.name, o.metadata.namespace);
}
