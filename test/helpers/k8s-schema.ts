/**
 * Offline validation of synthesized Kubernetes objects against the Kubernetes OpenAPI schema: no unknown fields,
 * no missing required fields, correct types, enums and quantities.
 *
 * - Built-in kinds (any apiVersion/kind kubernetes-models 4.x ships, e.g. Namespace, Deployment, NetworkPolicy ...):
 *   types, required fields, enums and formats come from kubernetes-models' compiled ajv validators; unknown fields
 *   come from walking the object against the definitions parsed from kubernetes-models' `.d.ts` files
 *   (see k8s-dts-schema.ts), because the compiled validators accept any extra property.
 * - Custom resources we emit (Karpenter NodePool/EC2NodeClass, ESO SecretStore/ClusterSecretStore/ExternalSecret):
 *   the same walker in `full` mode over the hand-made schemas in crd-schemas.ts.
 * - Anything else is reported as unknown, so nothing slips through unvalidated.
 *
 * Problems read `<Kind> <namespace>/<name>: <path>: <message>`, e.g.
 * `Deployment acme-prod-gateway/gateway: spec.template.spec.containers[0].foo: unknown field`.
 */
import { createRequire } from 'module';
import { BUILT_IN_REFS, CRD_SCHEMAS } from './crd-schemas';
import { builtInKindRef, KUBERNETES_MODELS_ROOT, resolveDeclarationRef } from './k8s-dts-schema';
import { joinPath, walkSchema, type Schema, type WalkMode } from './openapi-walk';

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

type BuiltInValidator = (obj: Record<string, unknown>) => AjvError[];

/**
 * Built-in group/versions a Kubernetes 1.30 API server (the oldest this library supports) serves by default.
 * kubernetes-models also ships versions removed long ago (apps/v1beta1, policy/v1beta1, networking.k8s.io/v1beta1 ...)
 * and newer ones (flowcontrol.apiserver.k8s.io/v1): an object using one of those would be rejected by the cluster.
 * Source: kubernetes.io/docs/reference/using-api/deprecation-guide/.
 */
const SERVED_GROUP_VERSIONS = new Set([
  'v1', 'admissionregistration.k8s.io/v1', 'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'apps/v1',
  'authentication.k8s.io/v1', 'authorization.k8s.io/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1',
  'certificates.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta3', 'networking.k8s.io/v1', 'node.k8s.io/v1',
  'policy/v1', 'rbac.authorization.k8s.io/v1', 'scheduling.k8s.io/v1', 'storage.k8s.io/v1',
]);

// The kind to load is only known at run time; kubernetes-models' package exports map `<group>/<version>/<Kind>`.
const requireFromModels = createRequire(`${KUBERNETES_MODELS_ROOT}/`);
const builtInValidators = new Map<string, BuiltInValidator | null>();

function builtInValidator(apiVersion: string, kind: string): { ref: string; validate: BuiltInValidator } | undefined {
  const ref = builtInKindRef(apiVersion, kind);
  if (ref === undefined) return undefined;
  let validate = builtInValidators.get(ref);
  if (validate === undefined) {
    const cls = (requireFromModels(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass | undefined>)[kind];
    validate = cls === undefined ? null : (obj) => {
      try {
        new cls(obj).validate();
        return [];
      } catch (error) {
        const errors = (error as { errors?: AjvError[] }).errors;
        if (!Array.isArray(errors)) throw error;
        return errors;
      }
    };
    builtInValidators.set(ref, validate);
  }
  return validate === null ? undefined : { ref, validate };
}

const builtInRefs: Record<string, () => string> = {
  [BUILT_IN_REFS.objectMeta]: () => `${apimachinery()}/apis/meta/v1/ObjectMeta#IObjectMeta`,
  [BUILT_IN_REFS.labelSelector]: () => `${apimachinery()}/apis/meta/v1/LabelSelector#ILabelSelector`,
};
let apimachineryRoot: string | undefined;
function apimachinery(): string {
  apimachineryRoot ??= requireFromModels.resolve('@kubernetes-models/apimachinery').replace(/[\\/]index\.js$/, '');
  return apimachineryRoot;
}

function resolve(ref: string): Schema {
  const builtIn = builtInRefs[ref];
  return resolveDeclarationRef(builtIn === undefined ? ref : builtIn());
}

/** Converts an ajv instancePath (`/spec/ports/0/port`) into our path syntax, using the object to tell indices from keys. */
function ajvPath(obj: unknown, pointer: string): string {
  let path = '';
  let node: unknown = obj;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path = joinPath(path, Number(key));
      node = node[Number(key)];
    } else {
      path = joinPath(path, key);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}

function ajvMessage(error: AjvError): string {
  if (error.keyword === 'enum') {
    return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message ?? `fails ${error.keyword} ${JSON.stringify(error.params)}`;
}

function ajvProblems(obj: unknown, errors: readonly AjvError[]): string[] {
  // A oneOf/anyOf failure (IntOrString, Quantity) also reports every branch at the same path: fold them into one line.
  const byPath = new Map<string, AjvError[]>();
  for (const error of errors) {
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  const problems: string[] = [];
  for (const [pointer, list] of byPath) {
    const path = ajvPath(obj, pointer);
    const at = (message: string): string => (path === '' ? message : `${path}: ${message}`);
    const union = list.some((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
    if (union) {
      const branches = list.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf').map(ajvMessage);
      problems.push(at(`matches no allowed form (${branches.join(' | ')})`));
      continue;
    }
    for (const error of list) {
      if (error.keyword === 'required') {
        problems.push(`${joinPath(path, String(error.params.missingProperty))}: missing required field`);
      } else {
        problems.push(at(ajvMessage(error)));
      }
    }
  }
  return problems;
}

function describeObject(obj: Record<string, unknown>): string {
  const metadata = typeof obj.metadata === 'object' && obj.metadata !== null ? obj.metadata as Record<string, unknown> : {};
  const kind = typeof obj.kind === 'string' ? obj.kind : '<no kind>';
  const name = typeof metadata.name === 'string' ? metadata.name : '<no name>';
  return typeof metadata.namespace === 'string' ? `${kind} ${metadata.namespace}/${name}` : `${kind} ${name}`;
}

function walk(obj: unknown, schema: Schema, mode: WalkMode): string[] {
  return walkSchema(obj, schema, { mode, resolve });
}

/** Validates one synthesized object; returns human-readable problems, empty when valid. */
export function validateK8sObject(obj: unknown): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return [`<not an object>: expected a Kubernetes object, got ${obj === null ? 'null' : Array.isArray(obj) ? 'an array' : typeof obj}`];
  }
  const record = obj as Record<string, unknown>;
  const id = describeObject(record);
  const { apiVersion, kind } = record;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [`${id}: apiVersion and kind must be strings`];
  }
  let problems: string[];
  const crd = CRD_SCHEMAS[`${apiVersion}/${kind}`];
  if (crd !== undefined) {
    problems = walk(record, crd, 'full');
  } else {
    if (!SERVED_GROUP_VERSIONS.has(apiVersion) && builtInKindRef(apiVersion, kind) !== undefined) {
      return [`${id}: ${apiVersion} ${kind} is not served by Kubernetes 1.30`];
    }
    const builtIn = SERVED_GROUP_VERSIONS.has(apiVersion) ? builtInValidator(apiVersion, kind) : undefined;
    if (builtIn === undefined) {
      return [`${id}: unknown apiVersion/kind ${apiVersion} ${kind}: no schema to validate it against`];
    }
    problems = [...ajvProblems(record, builtIn.validate(record)), ...walk(record, { $ref: builtIn.ref }, 'unknown-fields')];
  }
  return [...new Set(problems)].map((problem) => `${id}: ${problem}`);
}

/** Validates many synthesized objects; returns all problems, empty when every object is valid. */
export function validateK8sObjects(objs: readonly unknown[]): string[] {
  return objs.flatMap((obj) => validateK8sObject(obj));
}
