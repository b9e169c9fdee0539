import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { planBoundary } from '../lib/plan/boundary-plan';
import { Boundary } from '../lib/spec/boundary';
import { SpecError } from '../lib/spec/problems';
import { BoundaryStack } from './boundary-stack';
import { addCompliancePacks } from './synth';

/**
 * The app `cdk.json` runs: one stack per boundary with an `aws` section, from `-c spec=<file|dir>`
 * (default examples/customers). `npx cdk synth -c spec=examples/customers/acme-prod.yaml` is the conventional way in;
 * `pab synth --target cloudformation` does the same for many specs at once, with atomic output.
 */
function run(): void {
  const app = new App();
  addCompliancePacks(app);
  const input = (app.node.tryGetContext('spec') as string | undefined) ?? 'examples/customers';
  const files = statSync(input).isDirectory()
    ? readdirSync(input).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(input, f))
    : [input];
  try {
    for (const file of files) {
      const plan = planBoundary(Boundary.fromFile(file));
      if (plan.spec.aws) new BoundaryStack(app, plan.name, { plan });
    }
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
    return;
  }
  app.synth();
}

run();
