import { createHash } from 'crypto';
import { App, Chart } from 'cdk8s';
import { parse } from 'yaml';
import { LlmGateway } from '../../lib/k8s/llm-gateway';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { ANNOTATION, AWS_LB_TLS_POLICY, NON_ROOT_UID, selectorFor, type BoundaryPlan } from '../../lib/plan';
import { examplePlans, exampleVariant, ofKind } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

/** Only this construct, in its own chart: the test does not depend on the rest of the boundary chart. */
function synth(plan: BoundaryPlan): K8sObject[] {
  const chart = new Chart(new App(), plan.name, { disableResourceNameHashes: true });
  new LlmGateway(chart, 'gateway', { plan });
  return chart.toJson() as K8sObject[];
}

const variant = exampleVariant;

const named = (objs: K8sObject[], kind: string, name: string): any => objs.find((o) => o.kind === kind && o.metadata.name === name);
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const SENSITIVE_ENV = /(_KEY|PASSWORD|_TOKEN|_SECRET|DATABASE_URL)$/;

/** Internal-LB rule, restated from the spec: private ingress on AWS with at least one CIDR consumer. */
function expectedLbSourceRanges(plan: BoundaryPlan): string[] | undefined {
  const cidrs = plan.spec.network.consumers.filter((c) => c.cidr !== undefined).map((c) => c.cidr!).sort();
  return plan.spec.network.ingress === 'private' && cidrs.length > 0 && plan.spec.aws ? cidrs : undefined;
}

describe.each(examplePlans())('LlmGateway — %s', (_name, plan) => {
  const objs = synth(plan);
  const ns = plan.gateway.namespace;
  const deployment = named(objs, 'Deployment', 'gateway');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const configYaml: string = named(objs, 'ConfigMap', 'gateway-config').data['config.yaml'];
  const config = parse(configYaml);
  const env = new Map<string, any>(container.env.map((e: any) => [e.name, e]));

  test('valid objects, all in the gateway namespace, with the common labels; no Secret', () => {
    expect(validateK8sObjects(objs)).toEqual([]);
    expect(objs.map((o) => o.metadata.namespace)).toEqual(objs.map(() => ns));
    for (const o of objs) expect(o.metadata.labels).toEqual(expect.objectContaining(plan.commonLabels));
    expect(ofKind(objs, 'Secret')).toEqual([]);
  });

  test('ServiceAccount without token and without annotations; the pod uses it without a token', () => {
    const sa = named(objs, 'ServiceAccount', 'gateway');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.metadata.annotations).toBeUndefined();
    expect(pod.serviceAccountName).toBe('gateway');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('digest-pinned image from the spec, LiteLLM args, port 4000', () => {
    expect(container.image).toBe(plan.spec.gateway.image);
    expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(container.args).toEqual(['--config', '/etc/litellm/config.yaml', '--port', '4000']);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 4000 }]);
    expect(deployment.spec.replicas).toBe(plan.spec.gateway.replicas);
  });

  test('probes: liveliness, readiness, generous startup; never /health', () => {
    expect(container.livenessProbe.httpGet).toEqual(expect.objectContaining({ path: '/health/liveliness', port: 4000 }));
    expect(container.readinessProbe.httpGet).toEqual(expect.objectContaining({ path: '/health/readiness', port: 4000 }));
    expect(container.startupProbe.httpGet).toEqual(expect.objectContaining({ path: '/health/liveliness', port: 4000 }));
    expect(container.startupProbe.failureThreshold * container.startupProbe.periodSeconds).toBeGreaterThanOrEqual(300);
    expect(JSON.stringify(deployment)).not.toMatch(/"path":"\/health"/);
  });

  test('Pod Security restricted, requests and limits, read-only config and writable /tmp', () => {
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(c.securityContext).toEqual(expect.objectContaining({
        runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      }));
      expect(c.securityContext.runAsUser).toBeGreaterThan(0);
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    }
    expect(container.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'config', mountPath: '/etc/litellm', readOnly: true }, { name: 'tmp', mountPath: '/tmp' },
    ]));
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'config', configMap: { name: 'gateway-config' } }, expect.objectContaining({ name: 'tmp', emptyDir: expect.anything() }),
    ]));
    expect(pod.hostNetwork).toBe(false);
  });

  test('plain env from the plan; every secret the gateway reads as secretKeyRef; no literal secret value', () => {
    const secrets = plan.secrets.secrets.filter((s) => s.namespace === ns && s.readers.includes('gateway'));
    const secretEnv = secrets.flatMap((s) => s.keys.map((k) => ({ name: k.secretKey, valueFrom: { secretKeyRef: { name: s.name, key: k.secretKey } } })));
    expect(secretEnv.map((e) => e.name)).toEqual(expect.arrayContaining(['LITELLM_MASTER_KEY', 'LITELLM_SALT_KEY', 'DATABASE_URL']));
    expect(container.env).toEqual(expect.arrayContaining(secretEnv));
    const plain = container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]);
    expect(Object.fromEntries(plain)).toEqual(plan.gateway.env);
    expect(container.env).toHaveLength(Object.keys(plan.gateway.env).length + secretEnv.length);
    const sensitive = container.env.filter((e: any) => SENSITIVE_ENV.test(e.name));
    expect(sensitive.length).toBeGreaterThan(0);
    expect(sensitive.filter((e: any) => e.value !== undefined || !e.valueFrom?.secretKeyRef)).toEqual([]);
  });

  test('every os.environ/ reference in config.yaml is set in the container', () => {
    const refs = [...configYaml.matchAll(/os\.environ\/([A-Z0-9_]+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => !env.has(r))).toEqual([]);
  });

  test('config.yaml is the plan config and the pod checksum is its sha256', () => {
    expect(config).toEqual(plan.gateway.config);
    expect(deployment.spec.template.metadata.annotations[ANNOTATION.configSha256]).toBe(sha256(configYaml));
  });

  test('config.yaml: each model at its in-cluster URL with an env api key; no message logging; no models in DB', () => {
    expect(config.model_list.map((m: any) => m.model_name)).toEqual(plan.spec.models.map((m) => m.name));
    for (const m of plan.spec.models) {
      const entry = config.model_list.find((e: any) => e.model_name === m.name);
      expect(entry.litellm_params.api_base).toBe(`http://vllm-${m.name}.${plan.name}-models.svc.cluster.local:8000/v1`);
      expect(entry.litellm_params.api_key).toBe(`os.environ/${plan.names.modelKeyEnv(m.name)}`);
      expect(env.get(plan.names.modelKeyEnv(m.name)).valueFrom.secretKeyRef.name).toBe(`model-${m.name}-api-key`);
    }
    expect(config.litellm_settings.turn_off_message_logging).toBe(true);
    expect(config.general_settings.store_model_in_db).toBe(false);
    expect(config.general_settings.master_key).toBe('os.environ/LITELLM_MASTER_KEY');
    expect(config.litellm_settings.success_callback).toContain('s3');
    expect(config.litellm_settings.s3_callback_params.s3_bucket_name).toBe(plan.names.auditBucket());
    expect(config.litellm_settings.s3_callback_params.s3_region_name).toBe(plan.names.auditBucketRegion());
  });

  test('config.yaml: upperbound_key_generate_params in litellm_settings (where LiteLLM reads it), capped at the gateway limits', () => {
    expect(config.litellm_settings.upperbound_key_generate_params).toEqual({
      rpm_limit: plan.spec.gateway.rateLimits.requestsPerMinute, tpm_limit: plan.spec.gateway.rateLimits.tokensPerMinute,
    });
    expect(Object.keys(config.general_settings)).not.toContain('upperbound_key_generate_params');
  });

  test('startup reaches no internet and serves no admin UI: env from the plan', () => {
    for (const source of [plan.gateway.env, Object.fromEntries(container.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]))]) {
      expect(source).toEqual(expect.objectContaining({ LITELLM_LOCAL_MODEL_COST_MAP: 'True', DISABLE_ADMIN_UI: 'True' }));
    }
  });

  test('every container runs as the plan\'s non-root uid', () => {
    expect(pod.securityContext.runAsUser).toBe(NON_ROOT_UID);
    for (const c of pod.containers) expect(c.securityContext.runAsUser).toBe(NON_ROOT_UID);
  });

  test('config.yaml: presidio guardrail with the spec redaction (mask/block; allow absent)', () => {
    const expected: Record<string, string> = {};
    for (const rule of plan.spec.gateway.redaction.filter((r) => r.action !== 'allow')) {
      for (const e of rule.entities) expected[e] = rule.action.toUpperCase();
    }
    const allowed = plan.spec.gateway.redaction.filter((r) => r.action === 'allow').flatMap((r) => r.entities);
    const presidio = (config.guardrails ?? []).filter((g: any) => g.litellm_params.guardrail === 'presidio');
    expect(presidio).toHaveLength(plan.spec.gateway.redaction.length > 0 ? 1 : 0);
    expect(presidio.map((g: any) => g.litellm_params.pii_entities_config)).toEqual(presidio.length ? [expected] : []);
    expect(presidio.flatMap((g: any) => Object.keys(g.litellm_params.pii_entities_config)).filter((e: string) => allowed.includes(e))).toEqual([]);
    expect(presidio.map((g: any) => g.litellm_params.default_on)).toEqual(presidio.map(() => true));
  });

  test('Redis settings iff more than one replica', () => {
    const redisKeys = Object.keys(config.router_settings).filter((k) => k.startsWith('redis_'));
    expect(redisKeys.sort()).toEqual(plan.spec.gateway.replicas > 1 ? ['redis_host', 'redis_password', 'redis_port'] : []);
    expect(env.has('REDIS_PASSWORD')).toBe(plan.spec.gateway.replicas > 1);
  });

  test('shared limiter cache (Redis, responses cached only on request) iff more than one replica', () => {
    const shared = plan.spec.gateway.replicas > 1;
    const { cache, cache_params: cacheParams } = config.litellm_settings;
    expect({ cache, cacheParams }).toEqual(shared ? {
      cache: true,
      cacheParams: {
        type: 'redis', host: 'os.environ/REDIS_HOST', port: 'os.environ/REDIS_PORT', password: 'os.environ/REDIS_PASSWORD', mode: 'default_off',
      },
    } : { cache: undefined, cacheParams: undefined });
  });

  test('stable selector; spread over zones and hosts; surge-only rollout; PDB only with replicas', () => {
    const selector = selectorFor(plan.spec, 'gateway');
    expect(deployment.spec.selector).toEqual({ matchLabels: selector });
    expect(deployment.spec.template.metadata.labels).toEqual(expect.objectContaining(selector));
    expect(pod.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector },
    }]);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm)
      .toEqual({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } });
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const pdbs = ofKind(objs, 'PodDisruptionBudget').map((p: any) => p.spec);
    expect(pdbs).toEqual(plan.spec.gateway.replicas > 1 ? [{ maxUnavailable: 1, selector: { matchLabels: selector } }] : []);
  });

  test('ClusterIP Service on 4000 selecting the gateway pods', () => {
    const svc = named(objs, 'Service', 'gateway');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 4000, targetPort: 4000 }]);
    expect(svc.spec.selector).toEqual(selectorFor(plan.spec, 'gateway'));
  });

  test('internal NLB only where required, admitting exactly the CIDR consumers; no public Ingress', () => {
    const expected = expectedLbSourceRanges(plan);
    const lbs = ofKind(objs, 'Service').filter((s: any) => s.spec.type === 'LoadBalancer') as any[];
    expect(lbs.map((s) => [s.metadata.name, s.spec.loadBalancerSourceRanges])).toEqual(expected ? [['gateway-internal', expected]] : []);
    expect(lbs.map((s) => s.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-scheme'])).toEqual(lbs.map(() => 'internal'));
    expect(ofKind(objs, 'Ingress')).toEqual([]);
  });

  test('deterministic', () => {
    expect(JSON.stringify(synth(plan))).toBe(JSON.stringify(objs));
  });
});

describe('LlmGateway variants', () => {
  test('internal NLB: AWS LB Controller annotations, client IP preserved, source ranges sorted', () => {
    const plan = variant('acme-prod', (m) => {
      m.spec.network.consumers = [{ name: 'z-apps', cidr: '10.90.0.0/16' }, ...m.spec.network.consumers, { name: 'a-apps', cidr: '10.70.0.0/16' }];
      delete m.spec.network.tlsCertificateArn; // plain TCP listener (warned by PAB-NET-012)
    });
    const lb = named(synth(plan), 'Service', 'gateway-internal');
    expect(lb.spec.type).toBe('LoadBalancer');
    expect(lb.spec.loadBalancerSourceRanges).toEqual(['10.60.0.0/16', '10.70.0.0/16', '10.90.0.0/16']);
    expect(lb.spec.selector).toEqual(selectorFor(plan.spec, 'gateway'));
    expect(lb.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-subnets': 'acme-prod-data-0,acme-prod-data-1,acme-prod-data-2',
      'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'preserve_client_ip.enabled=true',
    });
    expect(lb.spec.ports).toEqual([expect.objectContaining({ port: 4000, targetPort: 4000 })]);
    // Client IP preservation is decided (and explained) in the plan; no TLS listener, no TLS policy.
    expect(plan.gateway.internalLoadBalancer!.targetGroupAttributes).toEqual({ 'preserve_client_ip.enabled': 'true' });
    expect(plan.gateway.internalLoadBalancer!.tlsNegotiationPolicy).toBeUndefined();
  });

  test('internal NLB and public ALB security values come from the plan, not the renderer', () => {
    const cert = 'arn:aws:acm:eu-central-1:111122223333:certificate/12345678-aaaa-bbbb-cccc-111122223333';
    const base = variant('acme-prod', (m) => { Object.assign(m.spec.network, { tlsCertificateArn: cert }); });
    const nlb = base.gateway.internalLoadBalancer!;
    expect(nlb.tlsNegotiationPolicy).toBe(AWS_LB_TLS_POLICY);
    const altered: BoundaryPlan = { ...base, gateway: { ...base.gateway, internalLoadBalancer: {
      ...nlb, tlsNegotiationPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06', targetGroupAttributes: { 'preserve_client_ip.enabled': 'true', 'proxy_protocol_v2.enabled': 'false' },
    } } };
    expect(named(synth(altered), 'Service', 'gateway-internal').metadata.annotations).toEqual(expect.objectContaining({
      'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': 'ELBSecurityPolicy-TLS13-1-3-2021-06',
      'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'preserve_client_ip.enabled=true,proxy_protocol_v2.enabled=false',
    }));

    const waf = 'arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/acme-gw/0f1e2d3c-aaaa-bbbb-cccc-111122223333';
    const pub = variant('acme-prod', (m) => {
      Object.assign(m.spec.network, { ingress: 'public', waf: true, wafAclArn: waf, tlsCertificateArn: cert, publicIngressReason: 'ACME-77 partners' });
    });
    expect(pub.gateway.publicIngress).toEqual({ ingressName: 'gateway-public', tlsCertificateArn: cert, tlsPolicy: AWS_LB_TLS_POLICY, waf: { aclArn: waf },
      reason: 'ACME-77 partners', accessLogs: { bucket: pub.names.accessLogsBucket(), prefix: 'alb/acme-prod' } });
    const alteredPub: BoundaryPlan = { ...pub, gateway: { ...pub.gateway, publicIngress: { ...pub.gateway.publicIngress!, tlsPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' } } };
    expect(named(synth(alteredPub), 'Ingress', 'gateway-public').metadata.annotations['alb.ingress.kubernetes.io/ssl-policy'])
      .toBe('ELBSecurityPolicy-TLS13-1-3-2021-06');
  });

  test('internal NLB with a certificate: TLS 1.2+ listener on 443, still forwarding to the gateway port', () => {
    const cert = 'arn:aws:acm:eu-central-1:111122223333:certificate/12345678-aaaa-bbbb-cccc-111122223333';
    const plan = variant('acme-prod', (m) => { Object.assign(m.spec.network, { tlsCertificateArn: cert }); });
    const lb = named(synth(plan), 'Service', 'gateway-internal');
    expect(lb.metadata.annotations).toEqual(expect.objectContaining({
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': cert,
      'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': '443',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'preserve_client_ip.enabled=true',
    }));
    expect(lb.spec.ports).toEqual([expect.objectContaining({ name: 'https', port: 443, targetPort: 4000 })]);
  });

  test('no load balancer with namespace consumers only, or without AWS', () => {
    const namespaceOnly = variant('acme-prod', (m) => { m.spec.network.consumers = [{ name: 'notebooks', namespace: 'research-notebooks' }]; });
    const lbOf = (plan: BoundaryPlan): unknown[] => ofKind(synth(plan), 'Service').filter((s: any) => s.spec.type === 'LoadBalancer');
    expect(lbOf(namespaceOnly)).toEqual([]);
    const initech = examplePlans().find(([n]) => n === 'initech-onprem')![1];
    expect(initech.spec.network.consumers.some((c) => c.cidr !== undefined)).toBe(true);
    expect(lbOf(initech)).toEqual([]);
  });

  test('public ingress: internet-facing ALB with TLS policy, WAF, reason; no internal NLB', () => {
    const waf = 'arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/acme-gw/0f1e2d3c-aaaa-bbbb-cccc-111122223333';
    const cert = 'arn:aws:acm:eu-central-1:111122223333:certificate/12345678-aaaa-bbbb-cccc-111122223333';
    const reason = 'ACME-77 partner integrations call the gateway from the internet';
    const plan = variant('acme-prod', (m) => {
      Object.assign(m.spec.network, { ingress: 'public', waf: true, wafAclArn: waf, tlsCertificateArn: cert, publicIngressReason: reason });
    });
    const objs = synth(plan);
    expect(validateK8sObjects(objs)).toEqual([]);
    expect(ofKind(objs, 'Service').filter((s: any) => s.spec.type !== 'ClusterIP')).toEqual([]);
    const ingress = named(objs, 'Ingress', 'gateway-public');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toEqual(expect.objectContaining({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/certificate-arn': cert,
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'alb.ingress.kubernetes.io/wafv2-acl-arn': waf,
      [ANNOTATION.reason]: reason,
    }));
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/healthcheck-path']).not.toBe('/health');
    expect(ingress.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.backend)))
      .toEqual([{ service: { name: 'gateway', port: { number: 4000 } } }]);
  });

  test('public ingress without a WAF ARN on AWS: the ALB names the web ACL the CloudFormation target creates; access logs go to the access-log bucket', () => {
    const plan = variant('acme-prod', (m) => {
      Object.assign(m.spec.network, { ingress: 'public', waf: true, tlsCertificateArn: m.spec.network.tlsCertificateArn, publicIngressReason: 'ACME-77 partner integrations' });
    });
    const annotations = named(synth(plan), 'Ingress', 'gateway-public').metadata.annotations;
    expect(annotations['alb.ingress.kubernetes.io/wafv2-acl-name']).toBe('acme-prod-gateway');
    expect(annotations['alb.ingress.kubernetes.io/wafv2-acl-arn']).toBeUndefined();
    expect(annotations['alb.ingress.kubernetes.io/load-balancer-attributes'].split(',')).toEqual(expect.arrayContaining([
      'routing.http.drop_invalid_header_fields.enabled=true', 'access_logs.s3.enabled=true',
      'access_logs.s3.bucket=acme-prod-logs-111122223333-eu-central-1', 'access_logs.s3.prefix=alb/acme-prod',
    ]));
  });

  test('a single replica gets no Redis cache; several replicas share one (the same config otherwise)', () => {
    const litellmSettings = (replicas: number): any => {
      const plan = variant('globex-staging', (m) => { m.spec.gateway.replicas = replicas; });
      return parse(named(synth(plan), 'ConfigMap', 'gateway-config').data['config.yaml']).litellm_settings;
    };
    const one = litellmSettings(1);
    const three = litellmSettings(3);
    expect(one.cache).toBeUndefined();
    expect(one.cache_params).toBeUndefined();
    expect(three.cache).toBe(true);
    expect(three.cache_params).toEqual(expect.objectContaining({ type: 'redis', mode: 'default_off' }));
    const rest = Object.fromEntries(Object.entries(three).filter(([k]) => k !== 'cache' && k !== 'cache_params'));
    expect(rest).toEqual(one);
  });

  test('a config change changes the checksum (rolls the pods); the same spec does not', () => {
    const checksum = (plan: BoundaryPlan): string => named(synth(plan), 'Deployment', 'gateway').spec.template.metadata.annotations[ANNOTATION.configSha256];
    const base = variant('acme-prod', () => undefined);
    const changed = variant('acme-prod', (m) => { m.spec.gateway.rateLimits.requestsPerMinute = 601; });
    expect(checksum(variant('acme-prod', () => undefined))).toBe(checksum(base));
    expect(checksum(changed)).not.toBe(checksum(base));
  });
});
