import * as pulumi from '@pulumi/pulumi';
import { synthKubernetesObjects } from '../../charts/synth';
import { ordinal, type K8sObject } from '../k8s/k8s-object';
import { planBoundary, type BoundaryPlan } from '../plan/boundary-plan';
import { Boundary } from '../spec/boundary';
import type { BoundaryManifest } from '../spec/types';
import { dependenciesOf, objectKey } from './dependencies';
import { kubernetesResource, resourceClassOf } from './kubernetes-resource';

/** Pulumi type token of the component. */
export const BOUNDARY_TYPE = 'private-ai-boundary:index:Boundary';

/** Arguments of `PrivateAiBoundary`. Plain values, not Inputs: the object set is derived when the component is built. */
export interface PrivateAiBoundaryArgs {
  /**
   * The boundary: a manifest (the shape of a spec file, validated here with `Boundary.fromManifest`, every problem
   * at once in a `SpecError`) or a `Boundary` already validated (used as is).
   */
  readonly spec: BoundaryManifest | Boundary;
  /**
   * The clock grant expiry is checked against when `spec` is a manifest.
   * @default - the current time
   */
  readonly now?: Date;
}

/** The namespaces of a boundary, by role. */
export interface BoundaryNamespaceNames {
  /** Gateway zone: the only namespace consumers call. */
  readonly gateway: string;
  /** Model runtimes. */
  readonly models: string;
  /** Data zone. */
  readonly data: string;
  /** Team namespaces, by team name. */
  readonly teams: Readonly<Record<string, string>>;
}

/**
 * The in-cluster layer of a private AI boundary as a Pulumi component: every Kubernetes object the Kubernetes target
 * writes (`synthKubernetesObjects` of the same plan — one source of truth), each registered as the typed
 * @pulumi/kubernetes resource of its kind, a child of this component, named `<name>-<namespace>/<object>` (or
 * `<name>-<object>` when cluster-scoped), with `dependsOn` for the order that matters (`dependenciesOf`).
 *
 * Pass a Kubernetes provider with `{ providers: { kubernetes: provider } }` to target a cluster other than the
 * ambient kubeconfig's current context.
 */
export class PrivateAiBoundary extends pulumi.ComponentResource {
  /** The boundary name (`metadata.name`). */
  public readonly boundaryName: string;
  /** In-cluster URL of the gateway (`http://gateway.<b>-gateway.svc.cluster.local:4000`), known once its Service exists. */
  public readonly gatewayUrl: pulumi.Output<string>;
  /** The boundary's namespaces, known once they exist. */
  public readonly namespaces: pulumi.Output<BoundaryNamespaceNames>;
  /** Every Service of the boundary as `namespace/name`, sorted, known once they exist. */
  public readonly services: pulumi.Output<string[]>;
  /** The Kubernetes objects registered, in apply order: exactly what the Kubernetes target writes. */
  public readonly objects: readonly K8sObject[];
  /** The child resource of each object, by `Kind/namespace/name` (`Kind/name` when cluster-scoped). */
  public readonly resources: ReadonlyMap<string, pulumi.CustomResource>;

  constructor(name: string, args: PrivateAiBoundaryArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Validate, plan and check every object before anything is registered: a bad spec registers nothing.
    const { plan, objects } = prepare(args);
    super(BOUNDARY_TYPE, name, {}, opts);
    this.boundaryName = plan.name;
    this.objects = objects;

    const dependencies = dependenciesOf(objects);
    const resources = new Map<string, pulumi.CustomResource>();
    for (const o of objects) {
      const key = objectKey(o);
      const dependsOn = (dependencies.get(key) ?? []).map((d) => {
        const r = resources.get(d);
        if (!r) throw new Error(`internal: ${key} depends on ${d}, which comes later in apply order`);
        return r;
      });
      resources.set(key, kubernetesResource(childName(name, o), o, { parent: this, dependsOn }));
    }
    this.resources = resources;

    const names = plan.names;
    const namespaceObjects = objects.filter((o) => o.kind === 'Namespace').map((o) => resources.get(objectKey(o)) as pulumi.CustomResource);
    const serviceObjects = objects.filter((o) => o.kind === 'Service');
    const gatewayService = resources.get(`Service/${names.zoneNamespace('gateway')}/gateway`);
    if (!gatewayService) throw new Error('internal: the chart emitted no gateway Service');
    this.gatewayUrl = gatewayService.urn.apply(() => names.gatewayUrl());
    const namespaceNames: BoundaryNamespaceNames = {
      gateway: names.zoneNamespace('gateway'),
      models: names.zoneNamespace('models'),
      data: names.zoneNamespace('data'),
      teams: Object.fromEntries(plan.spec.teams.map((t) => [t.name, names.teamNamespace(t.name)])),
    };
    this.namespaces = pulumi.all(namespaceObjects.map((r) => r.urn)).apply(() => namespaceNames);
    const serviceNames = serviceObjects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort(ordinal);
    this.services = pulumi.all(serviceObjects.map((o) => (resources.get(objectKey(o)) as pulumi.CustomResource).urn)).apply(() => serviceNames);
    this.registerOutputs({ boundaryName: this.boundaryName, gatewayUrl: this.gatewayUrl, namespaces: this.namespaces, services: this.services });
  }
}

/** Name of the child resource of an object: `<component>-<namespace>/<name>`, or `<component>-<name>` when cluster-scoped. */
export function childName(component: string, o: Pick<K8sObject, 'metadata'>): string {
  return o.metadata.namespace === undefined ? `${component}-${o.metadata.name}` : `${component}-${o.metadata.namespace}/${o.metadata.name}`;
}

function prepare(args: PrivateAiBoundaryArgs): { plan: BoundaryPlan; objects: K8sObject[] } {
  const boundary = args.spec instanceof Boundary ? args.spec : Boundary.fromManifest(args.spec, { now: args.now });
  const plan = planBoundary(boundary);
  const objects = synthKubernetesObjects(plan);
  for (const o of objects) resourceClassOf(o);
  return { plan, objects };
}
