import { App } from 'cdk8s';
import { planBoundary } from '../lib/plan/boundary-plan';
import { Boundary } from '../lib/spec/boundary';
import { SpecError } from '../lib/spec/problems';
import { BoundaryChart } from './boundary-chart';

/**
 * The app `cdk8s synth` runs (cdk8s.yaml): synthesizes ONE boundary, chosen by the PAB_SPEC environment variable
 * (default examples/customers/acme-prod.yaml), into cdk8s's output directory. For many specs use `pab synth`.
 */
function run(): void {
  const file = process.env.PAB_SPEC ?? 'examples/customers/acme-prod.yaml';
  try {
    const plan = planBoundary(Boundary.fromFile(file));
    const app = new App();
    new BoundaryChart(app, plan.name, { plan });
    app.synth();
  } catch (e) {
    if (e instanceof SpecError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}

run();
