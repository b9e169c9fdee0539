/**
 * A boundary declared in TypeScript instead of YAML: the same shape, checked by the compiler, then validated,
 * planned and synthesized with cdk8s. Copy it, change the values, run it:
 *   npm run build && node build/examples/typescript/boundary-in-code.js
 */
import { App } from 'cdk8s';
import { BoundaryChart } from '../../charts/boundary-chart';
import { planBoundary } from '../../lib/plan';
import { Boundary, SpecError, type BoundaryManifest } from '../../lib/spec';

const DIGEST = 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

/** A small single-team boundary on a customer-run cluster. */
export const hooliDev: BoundaryManifest = {
  apiVersion: 'private-ai-boundary/v1',
  kind: 'Boundary',
  metadata: { name: 'hooli-dev', customer: 'Hooli', owner: 'platform@hooli.example' },
  spec: {
    availabilityZones: 2,
    network: { cidr: '10.120.0.0/16', consumers: [{ name: 'dev-apps', namespace: 'hooli-apps' }] },
    kubernetes: { version: '1.33' },
    gpuNodePools: [{ name: 'l4', instanceTypes: ['g6.xlarge'], gpusPerNode: 1, maxNodes: 1 }],
    models: [{ name: 'qwen-2-5-7b', image: `vllm/vllm-openai:v0.10.1@${DIGEST}`, weights: 'pvc:qwen-weights', nodePool: 'l4' }],
    gateway: {
      engine: 'litellm',
      image: `ghcr.io/berriai/litellm-database:v1.74.3-stable@${DIGEST}`,
      rateLimits: { requestsPerMinute: 60, tokensPerMinute: 100_000 },
      stateCidrs: ['10.200.1.0/24'],
      redaction: [{ entities: ['EMAIL_ADDRESS', 'PHONE_NUMBER'], action: 'mask' }],
      presidio: {
        analyzerImage: `mcr.microsoft.com/presidio-analyzer:2.2.358@${DIGEST}`,
        anonymizerImage: `mcr.microsoft.com/presidio-anonymizer:2.2.358@${DIGEST}`,
      },
    },
    teams: [{ name: 'search', groups: ['hooli-search'], models: ['qwen-2-5-7b'] }],
    secrets: { store: 'existing-cluster-store', existingStoreName: 'hooli-vault' },
    audit: { bucket: 'hooli-dev-ai-audit', bucketRegion: 'us-west-1', sinkCidrs: ['10.200.0.0/24'] },
  },
};

/** Validates, plans and synthesizes `hooliDev` into ./dist-example (cdk8s output directory). */
export function synthHooliDev(outdir = 'dist-example'): string[] {
  const plan = planBoundary(Boundary.fromManifest(hooliDev));
  const app = new App({ outdir });
  new BoundaryChart(app, plan.name, { plan });
  app.synth();
  return app.charts.map((c) => `${outdir}/${c.node.id}.k8s.yaml`);
}

if (require.main === module) {
  try {
    console.log(`wrote ${synthHooliDev().join(', ')}`);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    console.error(e.message);
    process.exitCode = 1;
  }
}
