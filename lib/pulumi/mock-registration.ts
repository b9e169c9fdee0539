import * as pulumi from '@pulumi/pulumi';

/** One resource as a Pulumi program registers it with the engine. */
export interface RegisteredResource {
  /** The URN the engine gives it (`urn:pulumi:<stack>::<project>::<qualified type>::<name>`). */
  readonly urn: string;
  /** Type token, e.g. `kubernetes:core/v1:Namespace`. */
  readonly type: string;
  /** Pulumi resource name. */
  readonly name: string;
  /** Whether it is a provider resource (`CustomResource`) rather than a component. */
  readonly custom: boolean;
  /**
   * URN of the parent.
   * @default - none: a child of the stack itself
   */
  readonly parent?: string;
  /**
   * The explicit provider reference (`<provider urn>::<id>`).
   * @default - none: the engine's default provider for the package
   */
  readonly provider?: string;
  /** URNs it waits for (`dependsOn` and inputs taken from other resources), sorted. */
  readonly dependsOn: readonly string[];
  /** Inputs, as the engine receives them. */
  readonly inputs: Record<string, unknown>;
  /**
   * Outputs a component registers with `registerOutputs`.
   * @default - none (custom resources, or a component that registers none)
   */
  readonly outputs?: Record<string, unknown>;
}

/** The part of Pulumi's mock monitor this module wraps (`@pulumi/pulumi/runtime/mocks` MockMonitor). */
interface MonitorLike {
  registerResource(req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): Promise<void>;
  registerResourceOutputs(req: OutputsRequest, callback: (err: unknown, resp: unknown) => void): void;
}

/** Getters of the RegisterResourceRequest protobuf the SDK sends. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getObject(): unknown;
}

/** Getters of the RegisterResourceOutputsRequest protobuf. */
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): unknown;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs a Pulumi program under Pulumi's mock runtime (`pulumi.runtime.setMocks`: no engine, no provider plugin, no
 * cluster, no network) and returns every resource it registered, in registration order. The request each resource
 * sends is recorded as the SDK built it — type, name, parent, dependencies, inputs — before the mock answers with
 * the inputs as state. `program` may be async (e.g. `() => import('./index')` for a program that registers at load).
 * Mocks are process-wide, so runs are serialized. Rejects if the program or any registration failed.
 */
export function registerWithMocks(program: () => void | Promise<void>, options: { project: string; stack: string }): Promise<RegisteredResource[]> {
  const run = queue.then(() => runOnce(program, options));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(program: () => void | Promise<void>, options: { project: string; stack: string }): Promise<RegisteredResource[]> {
  // The SDK records a stack trace for every promise and every resource it creates (leak diagnostics, source
  // positions): measured, that is more than half the time of a mock run. Nothing here reads them, so capture none
  // while the run lasts, unless PAB_DEBUG asks for stack traces.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.PAB_DEBUG) Error.stackTraceLimit = 0;
  try {
    return await runWithMocks(program, options);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

async function runWithMocks(program: () => void | Promise<void>, options: { project: string; stack: string }): Promise<RegisteredResource[]> {
  // A fresh mock monitor per run: the previous run's monitor, resources and promises become garbage (measured: memory
  // stays flat over hundreds of runs in one process).
  await pulumi.runtime.setMocks({
    newResource: (args) => ({ id: args.custom ? `${args.name}-id` : undefined, state: args.inputs }),
    call: (args) => {
      throw new Error(`internal: the program invoked ${args.token}, which an offline run cannot answer`);
    },
  }, options.project, options.stack, false);
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const registered: { type: string; name: string; parent: string; provider: string; custom: boolean; dependsOn: string[]; inputs: Record<string, unknown>; urn?: string }[] = [];
  const outputs = new Map<string, Record<string, unknown>>();
  const errors: unknown[] = [];

  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const entry = {
      type: req.getType(), name: req.getName(), parent: req.getParent(), provider: req.getProvider(), custom: req.getCustom(),
      dependsOn: [...req.getDependenciesList()].sort(), inputs: deserialize(req.getObject()),
    };
    registered.push(entry);
    return registerResource(req, (err, resp) => {
      if (err) errors.push(err);
      else (entry as { urn?: string }).urn = (resp as { getUrn(): string }).getUrn();
      callback(err, resp);
    });
  };
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    outputs.set(req.getUrn(), deserialize(req.getOutputs()));
    registerResourceOutputs(req, callback);
  };

  try {
    await program();
  } finally {
    // Let every registration the program started finish, even when it threw, so none leaks into the next run.
    await waitForRpcs();
  }
  if (errors.length > 0) throw new Error(`internal: ${errors.length} resource registration(s) failed under mocks: ${String(errors[0])}`);
  return registered.map((r) => {
    if (r.urn === undefined) throw new Error(`internal: ${r.type} ${r.name} was never registered`);
    return {
      urn: r.urn, type: r.type, name: r.name, custom: r.custom, ...(r.parent ? { parent: r.parent } : {}), ...(r.provider ? { provider: r.provider } : {}),
      dependsOn: r.dependsOn, inputs: r.inputs, ...(outputs.has(r.urn) ? { outputs: outputs.get(r.urn) } : {}),
    };
  });
}

function deserialize(struct: unknown): Record<string, unknown> {
  if (!struct) return {};
  return pulumi.runtime.deserializeProperties(struct as Parameters<typeof pulumi.runtime.deserializeProperties>[0]) as Record<string, unknown>;
}

/**
 * Waits until every RPC the program started has completed. `waitForRPCs` is exported by @pulumi/pulumi's runtime
 * (it is what the SDK itself awaits before a program exits) but marked internal in its typings; the version is pinned.
 */
function waitForRpcs(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  if (typeof runtime.waitForRPCs !== 'function') throw new Error('internal: @pulumi/pulumi no longer exports runtime.waitForRPCs');
  return runtime.waitForRPCs();
}
