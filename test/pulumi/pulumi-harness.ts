/**
 * Runs the Pulumi component offline, the way STYLE.md asks: Pulumi's mocks are installed first, then the code under
 * test is loaded with a dynamic import. Registrations are cached per plan (each costs a mock run).
 */
import * as pulumi from '@pulumi/pulumi';
import type { BoundaryPlan } from '../../lib/plan';
import { Boundary } from '../../lib/spec';

type PulumiModule = typeof import('../../lib/pulumi');

let loaded: Promise<PulumiModule> | undefined;

/** The lib/pulumi module, imported after `pulumi.runtime.setMocks`. */
export function pulumiModule(): Promise<PulumiModule> {
  loaded ??= (async () => {
    await pulumi.runtime.setMocks({
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    }, 'test', 'test');
    return import('../../lib/pulumi');
  })();
  return loaded;
}

/** What the component registered for a plan, and the component itself. */
export interface Registration {
  readonly resources: import('../../lib/pulumi').RegisteredResource[];
  readonly component: import('../../lib/pulumi').PrivateAiBoundary;
}

const cache = new Map<BoundaryPlan, Promise<Registration>>();

/** Builds `PrivateAiBoundary` for a plan's (already validated) spec under mocks; cached per plan. */
export function registerPlan(plan: BoundaryPlan): Promise<Registration> {
  let r = cache.get(plan);
  if (!r) {
    r = (async () => {
      const m = await pulumiModule();
      const spec = Boundary.fromChecked({ file: plan.name, spec: plan.spec, problems: [] });
      let component: Registration['component'] | undefined;
      const resources = await m.registerWithMocks(() => {
        component = new m.PrivateAiBoundary(plan.name, { spec });
      }, { project: m.PULUMI_PROJECT, stack: plan.name });
      if (!component) throw new Error('component not built');
      return { resources, component };
    })();
    cache.set(plan, r);
  }
  return r;
}

/** The Kubernetes children of a registration (everything but the component). */
export function kubernetesChildren(r: Registration): Registration['resources'] {
  return r.resources.filter((x) => x.type.startsWith('kubernetes:'));
}

/** The registered inputs of every child of one kind. */
export function inputsOfKind(r: Registration, kind: string): any[] {
  return kubernetesChildren(r).map((x) => x.inputs as any).filter((i) => i.kind === kind);
}
