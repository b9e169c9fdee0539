import type { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { removeConstructAddressLabel, workloadLabels, workloadSelector } from './labels';
import { restrictedPodSecurity } from './pod-security';

/** Props of {@link hardenedDeployment}: what differs between the boundary's Deployments. */
export interface HardenedDeploymentProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
  /** Workload name: the Deployment's name and its selector. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** `app.kubernetes.io/component`. */
  readonly component: string;
  /** Replicas. */
  readonly replicas: number;
  /** ServiceAccount the pods run as (created by the caller, without a token). */
  readonly serviceAccount: kplus.IServiceAccount;
  /** Rollout strategy (each workload's capacity trade-off differs). */
  readonly strategy: kplus.DeploymentStrategy;
  /**
   * Pod-template annotations (e.g. a config checksum that rolls the pods).
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * How long a rollout may take before it is marked failed.
   * @default - Kubernetes' 600 seconds
   */
  readonly progressDeadline?: Duration;
}

/**
 * A Deployment with the boundary's pod baseline, written once: stable selector (workload + boundary labels, never a
 * construct-path hash, since Deployment selectors are immutable), no service-account token, Pod Security "restricted"
 * pod context, no cdk8s-plus isolation or spread side effects, and no construct-path label on the pods. Containers,
 * volumes and scheduling are added by the caller.
 */
export function hardenedDeployment(scope: Construct, id: string, props: HardenedDeploymentProps): kplus.Deployment {
  const { plan, name } = props;
  const labels = workloadLabels(plan, name, props.component);
  const deployment = new kplus.Deployment(scope, id, {
    metadata: { name, namespace: props.namespace, labels },
    replicas: props.replicas,
    select: false,
    podMetadata: { labels, ...(props.podAnnotations ? { annotations: props.podAnnotations } : {}) },
    serviceAccount: props.serviceAccount,
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurity(),
    strategy: props.strategy,
    ...(props.progressDeadline ? { progressDeadline: props.progressDeadline } : {}),
    isolate: false,
    spread: false,
  });
  deployment.select(kplus.LabelSelector.of({ labels: workloadSelector(plan, name) }));
  removeConstructAddressLabel(deployment);
  return deployment;
}
