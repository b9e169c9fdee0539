import type { ResolvedSpec } from '../spec/resolve';
import { AWS_LB_TLS_POLICY } from './hardening';
import type { BoundaryNames } from './names';
import { PORTS } from './names';
import type { NetworkPlan } from './network-plan';

/**
 * The internal network load balancer that CIDR consumers (outside the cluster) reach the gateway through.
 * Present only with `ingress: private`, at least one CIDR consumer and `spec.aws` (AWS Load Balancer Controller).
 */
export interface InternalLoadBalancerPlan {
  /** Name of the LoadBalancer Service (the only non-ClusterIP Service the exposure policy admits). */
  readonly serviceName: string;
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
  /**
   * TLS negotiation policy of the TLS listener (TLS 1.3/1.2 only); present exactly when `tlsCertificateArn` is.
   * @default - no TLS listener, hence no policy
   */
  readonly tlsNegotiationPolicy?: string;
  /**
   * Target-group attributes, rendered as `key=value` pairs. `preserve_client_ip.enabled=true` is what makes the
   * gateway's consumer NetworkPolicy mean anything: its `ipBlock` rules admit exactly the CIDR consumers, and a
   * pod only sees a consumer's address if the NLB preserves it. Without it every connection arrives from the NLB's
   * own address in the data subnets (admitted for health checks), so the policy could no longer tell one caller
   * from another
   * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html#client-ip-preservation).
   */
  readonly targetGroupAttributes: Readonly<Record<string, string>>;
}

/** The internet-facing ALB behind WAF, present only with `ingress: public` (which the spec validates). */
export interface PublicIngressPlan {
  /** Name of the Ingress (the only Ingress the exposure policy admits). */
  readonly ingressName: string;
  /** ACM certificate of the HTTPS listener. */
  readonly tlsCertificateArn: string;
  /** TLS policy of the HTTPS listener (TLS 1.3/1.2 only). */
  readonly tlsPolicy: string;
  /**
   * WAFv2 web ACL associated with the ALB: the one `network.wafAclArn` names (customer-managed, e.g. by Firewall
   * Manager), or — with `spec.aws` and no ARN — the ACL the CloudFormation target creates under `aclName`
   * (AWS managed rule groups, a per-IP rate rule, logging with API keys redacted). The AWS Load Balancer Controller
   * resolves a name with the `wafv2-acl-name` annotation, so no ARN with a random id has to be looked up.
   */
  readonly waf: { readonly aclArn: string } | { readonly aclName: string };
  /** Why the gateway is exposed to the internet (recorded on the object and in the evidence report). */
  readonly reason: string;
  /**
   * Where the ALB writes its access logs (one line per request, client IP included): the boundary's access-log bucket
   * (SSE-S3 — ALB log delivery supports no SSE-KMS) under `prefix`. Only with `spec.aws`, where that bucket exists.
   */
  readonly accessLogs?: { readonly bucket: string; readonly prefix: string };
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

/**
 * The gateway: LiteLLM proxy config, team desired state, and what it needs.
 *
 * Model API keys and rotation: each model runtime's key lives once in the secret store and is synced by two
 * ExternalSecrets, one into the models namespace (`VLLM_API_KEY` of `vllm-<model>`) and one into the gateway
 * namespace (`MODEL_<MODEL>_API_KEY`, referenced as `os.environ/...` in `config.yaml`). Both processes read the key
 * from their environment once, at start; Kubernetes does not update the environment of a running container when
 * the Secret behind it changes. After the store rotates a key and External Secrets has refreshed both Secrets
 * (`refreshInterval`, or force it with the `force-sync` annotation), restart both. Runtime first: its restart
 * (weights reload) is the long one, and restarting the gateway after it limits the window in which the two hold
 * different keys to the gateway's short rollout:
 *
 * ```sh
 * kubectl -n <boundary>-models rollout restart deployment/vllm-<model>
 * kubectl -n <boundary>-models rollout status deployment/vllm-<model>
 * kubectl -n <boundary>-gateway rollout restart deployment/gateway
 * ```
 *
 * In that window calls to that model fail with 401; rotate in a maintenance window or accept the gap.
 * Nothing here restarts pods automatically: a pod-template hash of Secret *names* would not change on rotation.
 */
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
  /** The internet-facing ALB, with `ingress: public` only. */
  readonly publicIngress?: PublicIngressPlan;
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

  // With several replicas every counter (rpm/tpm per key, team and model) must live in one Redis: the router's
  // `redis_*` share deployment usage, `cache` + `cache_params` give the proxy's limiter a Redis-backed cache
  // (https://docs.litellm.ai/docs/proxy/config_settings, https://docs.litellm.ai/docs/proxy/caching).
  // `mode: default_off` keeps response caching opt-in per request, so no prompt or completion is stored in Redis
  // unless a caller explicitly asks for it.
  const redis = { host: 'os.environ/REDIS_HOST', port: 'os.environ/REDIS_PORT', password: 'os.environ/REDIS_PASSWORD' };
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
      // No key may be generated with limits above the boundary's. LiteLLM reads this from `litellm_settings`
      // (https://docs.litellm.ai/docs/proxy/self_serve, "All Settings for Self Serve / SSO Flow"); under
      // `general_settings` it is silently ignored.
      upperbound_key_generate_params: { rpm_limit: gw.rateLimits.requestsPerMinute, tpm_limit: gw.rateLimits.tokensPerMinute },
      ...(sharedCounters ? { cache: true, cache_params: { type: 'redis', ...redis, mode: 'default_off' } } : {}),
    },
    router_settings: {
      enable_pre_call_checks: true,
      ...(sharedCounters ? { redis_host: redis.host, redis_port: redis.port, redis_password: redis.password } : {}),
    },
    general_settings: {
      master_key: 'os.environ/LITELLM_MASTER_KEY',
      database_url: 'os.environ/DATABASE_URL',
      allow_requests_on_db_unavailable: false,
      // Models come from this file only: nobody adds a model through the admin UI.
      store_model_in_db: false,
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
    // Startup reaches no internet: use the cost map bundled in the image instead of fetching it from GitHub
    // (https://docs.litellm.ai/docs/proxy/outbound_requests, https://docs.litellm.ai/docs/proxy/model_cost_map).
    LITELLM_LOCAL_MODEL_COST_MAP: 'True',
    // Consumers reach port 4000, which would also serve the admin UI at /ui: one more login surface. Teams and keys
    // are managed through the admin API by the reconcile Job (https://docs.litellm.ai/docs/proxy/config_settings,
    // environment variables: DISABLE_ADMIN_UI).
    DISABLE_ADMIN_UI: 'True',
    LITELLM_MIGRATION_DIR: '/tmp/litellm-migrations',
    HOME: '/tmp',
    XDG_CACHE_HOME: '/tmp/.cache',
    AWS_REGION: audit.region,
    // The boundary's Valkey (CloudFormation target) accepts TLS only; LiteLLM passes REDIS_<ARG> env to redis-py.
    ...(sharedCounters && spec.aws ? { REDIS_SSL: 'true' } : {}),
    ...(presidio ? { PRESIDIO_ANALYZER_API_BASE: presidio.analyzerUrl, PRESIDIO_ANONYMIZER_API_BASE: presidio.anonymizerUrl } : {}),
  };

  const sourceRanges = spec.network.consumers.flatMap((c) => (c.cidr !== undefined ? [c.cidr] : [])).sort();
  const internalLoadBalancer: InternalLoadBalancerPlan | undefined = spec.network.ingress === 'private' && sourceRanges.length > 0 && spec.aws ? {
    serviceName: 'gateway-internal',
    sourceRanges,
    subnetNames: net.subnets.filter((s) => s.zone === 'data').map((s) => names.subnetName('data', s.azIndex)),
    subnetCidrs: net.zoneCidrs.data,
    port: spec.network.tlsCertificateArn ? PORTS.https : PORTS.gateway,
    tlsCertificateArn: spec.network.tlsCertificateArn,
    ...(spec.network.tlsCertificateArn ? { tlsNegotiationPolicy: AWS_LB_TLS_POLICY } : {}),
    targetGroupAttributes: { 'preserve_client_ip.enabled': 'true' },
  } : undefined;
  const network = spec.network;
  // Validation (lib/spec) guarantees certificate and reason with `ingress: public`, and a WAF ACL ARN without `spec.aws`.
  const publicIngress: PublicIngressPlan | undefined = network.ingress === 'public' ? {
    ingressName: 'gateway-public',
    tlsCertificateArn: network.tlsCertificateArn!,
    tlsPolicy: AWS_LB_TLS_POLICY,
    waf: network.wafAclArn !== undefined ? { aclArn: network.wafAclArn } : { aclName: names.wafAcl() },
    reason: network.publicIngressReason!,
    ...(spec.aws ? { accessLogs: { bucket: names.accessLogsBucket(), prefix: `alb/${spec.name}` } } : {}),
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
    publicIngress,
  };
}
