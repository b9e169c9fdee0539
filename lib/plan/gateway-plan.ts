import type { ResolvedSpec } from '../spec/resolve';
import type { BoundaryNames } from './names';
import { PORTS } from './names';
import type { NetworkPlan } from './network-plan';

/**
 * The internal network load balancer that CIDR consumers (outside the cluster) reach the gateway through.
 * Present only with `ingress: private`, at least one CIDR consumer and `spec.aws` (AWS Load Balancer Controller).
 */
export interface InternalLoadBalancerPlan {
  /** `loadBalancerSourceRanges`: exactly the CIDR consumers, sorted. */
  readonly sourceRanges: readonly string[];
  /**
   * Subnets (Name tags) the NLB is placed in: the data zone, where no pod runs, so admitting these CIDRs for the
   * NLB's health checks admits no workload. Consumer traffic keeps its client IP (target-group attribute).
   */
  readonly subnetNames: readonly string[];
  /** CIDRs of those subnets (source of health checks). */
  readonly subnetCidrs: readonly string[];
  /** Listener port: 443 with TLS when a certificate is declared, else the gateway port over TCP. */
  readonly port: number;
  /** ACM certificate for a TLS listener. */
  readonly tlsCertificateArn?: string;
}

/** Presidio services, present when `gateway.redaction` is set. */
export interface PresidioPlan {
  /** Analyzer image (digest-pinned). */
  readonly analyzerImage: string;
  /** Anonymizer image (digest-pinned). */
  readonly anonymizerImage: string;
  /** In-cluster analyzer URL. */
  readonly analyzerUrl: string;
  /** In-cluster anonymizer URL. */
  readonly anonymizerUrl: string;
}

/** A team as the gateway's admin API sees it (LiteLLM `/team/new` body). */
export interface GatewayTeam {
  readonly team_id: string;
  readonly team_alias: string;
  readonly models: readonly string[];
  readonly rpm_limit: number;
  readonly tpm_limit: number;
  readonly metadata: { readonly groups: readonly string[] };
}

/** The desired state the reconcile Job converges the gateway to. */
export interface GatewayDesiredState {
  readonly boundary: string;
  readonly managedBy: 'private-ai-boundary';
  readonly teams: readonly GatewayTeam[];
}

/** The gateway: LiteLLM proxy config, team desired state, and what it needs. */
export interface GatewayPlan {
  /** Namespace. */
  readonly namespace: string;
  /** Image (digest-pinned). */
  readonly image: string;
  /** Replicas. */
  readonly replicas: number;
  /** Whether Redis shares rate-limit counters (replicas > 1). */
  readonly sharedCounters: boolean;
  /** LiteLLM `config.yaml` as data (rendered to YAML with sorted keys by the renderer). */
  readonly config: Record<string, unknown>;
  /** Desired teams for the reconcile Job. */
  readonly desiredState: GatewayDesiredState;
  /** Plain (non-secret) environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Presidio, when redaction is declared. */
  readonly presidio?: PresidioPlan;
  /** Request-audit bucket and region. */
  readonly audit: { readonly bucket: string; readonly region: string; readonly prefix: string };
  /** Entity → action of every redaction rule, including `allow` (passed through, recorded). */
  readonly redaction: Readonly<Record<string, 'allow' | 'mask' | 'block'>>;
  /** The internal NLB for CIDR consumers, when one is needed. */
  readonly internalLoadBalancer?: InternalLoadBalancerPlan;
}

/** Builds the gateway plan, including LiteLLM's real config.yaml (open-source features only). */
export function planGateway(spec: ResolvedSpec, names: BoundaryNames, net: NetworkPlan): GatewayPlan {
  const gw = spec.gateway;
  const ns = names.zoneNamespace('gateway');
  const sharedCounters = gw.replicas > 1;
  const audit = { bucket: names.auditBucket(), region: names.auditBucketRegion(), prefix: 'gateway/requests' };
  const redaction: Record<string, 'allow' | 'mask' | 'block'> = {};
  for (const rule of gw.redaction) for (const e of rule.entities) redaction[e] = rule.action;
  const presidio: PresidioPlan | undefined = gw.presidio && gw.redaction.length > 0 ? {
    analyzerImage: gw.presidio.analyzerImage,
    anonymizerImage: gw.presidio.anonymizerImage,
    analyzerUrl: `http://presidio-analyzer.${ns}.svc.cluster.local:${PORTS.presidio}`,
    anonymizerUrl: `http://presidio-anonymizer.${ns}.svc.cluster.local:${PORTS.presidio}`,
  } : undefined;

  const modelList = spec.models.map((m) => ({
    model_name: m.name,
    litellm_params: {
      model: `hosted_vllm/${m.name}`,
      api_base: names.modelUrl(m.name),
      api_key: `os.environ/${names.modelKeyEnv(m.name)}`,
      rpm: gw.rateLimits.requestsPerMinute,
      tpm: gw.rateLimits.tokensPerMinute,
    },
    model_info: { id: m.name },
  }));

  // Entities with `allow` are deliberately absent: Presidio only acts on listed entities.
  const piiConfig = Object.fromEntries(Object.entries(redaction).filter(([, a]) => a !== 'allow').map(([e, a]) => [e, a.toUpperCase()]));
  const guardrails = presidio ? [{
    guardrail_name: 'boundary-pii',
    litellm_params: {
      guardrail: 'presidio',
      mode: ['pre_call', 'post_call'],
      default_on: true,
      pii_entities_config: piiConfig,
      presidio_analyzer_api_base: presidio.analyzerUrl,
      presidio_anonymizer_api_base: presidio.anonymizerUrl,
    },
  }] : [];

  const config: Record<string, unknown> = {
    model_list: modelList,
    litellm_settings: {
      // Prompts and responses never reach logs or the audit sink; metadata (who, which model, tokens, status) does.
      turn_off_message_logging: true,
      json_logs: true,
      success_callback: ['s3'],
      failure_callback: ['s3'],
      s3_callback_params: { s3_bucket_name: audit.bucket, s3_region_name: audit.region, s3_path: audit.prefix },
      drop_params: true,
    },
    router_settings: {
      enable_pre_call_checks: true,
      ...(sharedCounters ? { redis_host: 'os.environ/REDIS_HOST', redis_port: 'os.environ/REDIS_PORT', redis_password: 'os.environ/REDIS_PASSWORD' } : {}),
    },
    general_settings: {
      master_key: 'os.environ/LITELLM_MASTER_KEY',
      database_url: 'os.environ/DATABASE_URL',
      allow_requests_on_db_unavailable: false,
      // Models come from this file only: nobody adds a model through the admin UI.
      store_model_in_db: false,
      upperbound_key_generate_params: { rpm_limit: gw.rateLimits.requestsPerMinute, tpm_limit: gw.rateLimits.tokensPerMinute },
    },
    ...(guardrails.length > 0 ? { guardrails } : {}),
  };

  const teams: GatewayTeam[] = spec.teams.map((t) => ({
    team_id: t.name,
    team_alias: t.name,
    models: [...t.models].sort(),
    rpm_limit: t.rateLimits.requestsPerMinute,
    tpm_limit: t.rateLimits.tokensPerMinute,
    metadata: { groups: [...t.groups].sort() },
  }));

  const env: Record<string, string> = {
    LITELLM_LOG: 'INFO',
    LITELLM_TELEMETRY: 'False',
    LITELLM_MIGRATION_DIR: '/tmp/litellm-migrations',
    HOME: '/tmp',
    XDG_CACHE_HOME: '/tmp/.cache',
    AWS_REGION: audit.region,
    ...(presidio ? { PRESIDIO_ANALYZER_API_BASE: presidio.analyzerUrl, PRESIDIO_ANONYMIZER_API_BASE: presidio.anonymizerUrl } : {}),
  };

  const sourceRanges = spec.network.consumers.flatMap((c) => (c.cidr !== undefined ? [c.cidr] : [])).sort();
  const internalLoadBalancer: InternalLoadBalancerPlan | undefined = spec.network.ingress === 'private' && sourceRanges.length > 0 && spec.aws ? {
    sourceRanges,
    subnetNames: net.subnets.filter((s) => s.zone === 'data').map((s) => names.subnetName('data', s.azIndex)),
    subnetCidrs: net.zoneCidrs.data,
    port: spec.network.tlsCertificateArn ? PORTS.https : PORTS.gateway,
    tlsCertificateArn: spec.network.tlsCertificateArn,
  } : undefined;

  return {
    namespace: ns,
    image: gw.image,
    replicas: gw.replicas,
    sharedCounters,
    config,
    desiredState: { boundary: spec.name, managedBy: 'private-ai-boundary', teams },
    env,
    presidio,
    audit,
    redaction,
    internalLoadBalancer,
  };
}
