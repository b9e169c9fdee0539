/**
 * A Pulumi program that deploys the in-cluster layer of one private AI boundary, declared in TypeScript.
 * Copy this folder to start your own; in your project, import from 'private-ai-boundary/pulumi' instead of
 * '../../lib/pulumi' (this checkout compiles the library from source). README.md shows how to run it.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { PrivateAiBoundary, type BoundaryManifest } from '../../lib/pulumi';

/** Placeholder: use the digests your security review approved (tags are mutable, so images are pinned by digest). */
const DIGEST = 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

/** A small boundary on a customer-run cluster: one GPU pool, one model, one team, secrets from an existing store. */
export const spec: BoundaryManifest = {
  apiVersion: 'private-ai-boundary/v1',
  kind: 'Boundary',
  metadata: { name: 'umbrella-dev', customer: 'Umbrella', owner: 'platform@umbrella.example' },
  spec: {
    availabilityZones: 2,
    network: { cidr: '10.130.0.0/16', consumers: [{ name: 'dev-apps', namespace: 'umbrella-apps' }] },
    kubernetes: { version: '1.33' },
    gpuNodePools: [{ name: 'l4', instanceTypes: ['g6.xlarge'], gpusPerNode: 1, maxNodes: 1 }],
    models: [{ name: 'qwen-2-5-7b', image: `vllm/vllm-openai:v0.10.1@${DIGEST}`, weights: 'pvc:qwen-weights', nodePool: 'l4' }],
    gateway: {
      engine: 'litellm',
      image: `ghcr.io/berriai/litellm-database:v1.74.3-stable@${DIGEST}`,
      rateLimits: { requestsPerMinute: 60, tokensPerMinute: 100_000 },
      stateCidrs: ['10.200.1.0/24'],
    },
    teams: [{ name: 'search', groups: ['umbrella-search'], models: ['qwen-2-5-7b'] }],
    secrets: { store: 'existing-cluster-store', existingStoreName: 'umbrella-vault' },
    audit: { bucket: 'umbrella-dev-ai-audit', bucketRegion: 'eu-west-1', sinkCidrs: ['10.200.0.0/24'] },
  },
};

// The cluster: the kubeconfig context named in the stack config (`pulumi config set kubeContext <name>`), or the
// current context. Every child of the boundary uses this provider.
const cluster = new k8s.Provider('cluster', { context: new pulumi.Config().get('kubeContext') });

// Validates the spec (every problem at once) and registers every Kubernetes object the Kubernetes target writes.
const boundary = new PrivateAiBoundary(spec.metadata.name, { spec }, { providers: { kubernetes: cluster } });

/** Where consumers call the gateway (in-cluster). */
export const gatewayUrl = boundary.gatewayUrl;
/** The boundary's namespaces by role (deploy team workloads into `teams.search`). */
export const namespaces = boundary.namespaces;
