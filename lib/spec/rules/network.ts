import { allocate, cidrProblem, formatCidr, isPrivate, overlaps, parseCidr, size, type Cidr } from '../cidr';
import { show } from '../problems';
import { PUBLIC_SUBNET_MASK } from '../defaults';
import { ZONE_NAMES } from '../types';
import type { RuleContext } from './context';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** PAB-NET-*: VPC CIDR, zone sizes that fit, consumers, public ingress prerequisites. */
export function networkRules(ctx: RuleContext): void {
  const { spec, problems } = ctx;
  const net = spec.network;
  const azs = spec.availabilityZones;
  if (azs < 2 || azs > 6) {
    problems.error('PAB-NET-008', ['spec', 'availabilityZones'], `${azs} is out of range — use 2 to 6 (at least 2 for any zone to survive an AZ loss)`);
  }
  const vpc = checkCidr(ctx, net.cidr, ['spec', 'network', 'cidr']);
  if (vpc && (vpc.mask < 16 || vpc.mask > 24)) {
    problems.error('PAB-NET-002', ['spec', 'network', 'cidr'], `${net.cidr} has prefix /${vpc.mask} — use /16 to /24`);
  }
  for (const zone of ZONE_NAMES) {
    const mask = net.zoneMasks[zone];
    if (mask < 16 || mask > 28) {
      problems.error('PAB-NET-003', ['spec', 'network', 'zones', zone, 'cidrMask'], `/${mask} is out of range — use /16 to /28`);
    }
  }
  if (vpc && azs >= 2 && azs <= 6) checkZonesFit(ctx, vpc);

  const boundaryNamespaces = new Set(ZONE_NAMES.map((z) => `${spec.name}-${z}`));
  const seen: { cidr: Cidr; index: number }[] = [];
  net.consumers.forEach((c, i) => {
    const path = ['spec', 'network', 'consumers', i];
    if ((c.cidr === undefined) === (c.namespace === undefined)) {
      problems.error('PAB-NET-004', path, `consumer "${c.name}" must have exactly one of "cidr" (callers outside the cluster) or "namespace" (in-cluster callers)`);
      return;
    }
    if (c.namespace !== undefined && (!NAMESPACE.test(c.namespace) || c.namespace.length > 63)) {
      problems.error('PAB-NET-005', [...path, 'namespace'], `${show(c.namespace)} is not a Kubernetes namespace name`);
    } else if (c.namespace !== undefined && boundaryNamespaces.has(c.namespace)) {
      problems.error('PAB-NET-005', [...path, 'namespace'],
        `${show(c.namespace)} is a zone namespace of this boundary — a consumer must be a namespace outside it (team namespaces are allowed)`);
    }
    if (c.cidr === undefined) return;
    if (!spec.aws) {
      problems.warn('PAB-NET-011', [...path, 'cidr'], `a customer-run cluster gets no load balancer for ${c.cidr}: expose Service "gateway" through your own internal load balancer; the network policy admits this CIDR`);
    }
    const cidr = checkCidr(ctx, c.cidr, [...path, 'cidr']);
    if (!cidr) return;
    if (vpc && overlaps(cidr, vpc)) {
      problems.error('PAB-NET-006', [...path, 'cidr'], `${c.cidr} overlaps the boundary VPC ${net.cidr} — consumers are callers outside the boundary`);
    }
    const clash = seen.find((s) => overlaps(s.cidr, cidr));
    if (clash) {
      problems.error('PAB-NET-006', [...path, 'cidr'], `${c.cidr} overlaps consumer ${clash.index} (${formatCidr(clash.cidr)}) — merge them or make them disjoint`);
    }
    seen.push({ cidr, index: i });
  });
  if (net.consumers.length === 0) {
    problems.warn('PAB-NET-009', ['spec', 'network', 'consumers'], 'no consumer is declared: nothing can reach the gateway');
  }
  (spec.audit.sinkCidrs ?? []).forEach((c, i) => checkCidr(ctx, c, ['spec', 'audit', 'sinkCidrs', i]));
  (spec.gateway.stateCidrs ?? []).forEach((c, i) => checkCidr(ctx, c, ['spec', 'gateway', 'stateCidrs', i]));
  if (!spec.aws && (spec.gateway.stateCidrs ?? []).length === 0) {
    problems.error('PAB-NET-013', ['spec', 'gateway', 'stateCidrs'],
      'a customer-run cluster (no spec.aws) must say where the gateway\'s PostgreSQL and Redis run (network policy egress)');
  }
  checkIngress(ctx);
}

function checkCidr(ctx: RuleContext, text: string, path: readonly (string | number)[]): Cidr | undefined {
  const problem = cidrProblem(text);
  if (problem) {
    ctx.problems.error('PAB-NET-001', path, `${show(text)} ${problem}`);
    return undefined;
  }
  const cidr = parseCidr(text);
  if (!isPrivate(cidr)) {
    ctx.problems.error('PAB-NET-001', path, `${text} is not private address space — use 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10`);
    return undefined;
  }
  return cidr;
}

function checkZonesFit(ctx: RuleContext, vpc: Cidr): void {
  const { spec, problems } = ctx;
  const azs = spec.availabilityZones;
  const masks = spec.network.zoneMasks;
  let single = false;
  for (const zone of ZONE_NAMES) {
    const mask = masks[zone];
    if (mask < 16 || mask > 28) return;
    if (size({ base: 0, mask }) * azs > size(vpc)) {
      const longest = vpc.mask + Math.ceil(Math.log2(azs));
      problems.error('PAB-NET-003', ['spec', 'network', 'zones', zone, 'cidrMask'],
        `/${mask} × ${azs} AZs does not fit in ${spec.network.cidr} — use /${longest} or longer`);
      single = true;
    }
  }
  if (single) return;
  const all = ZONE_NAMES.flatMap((z) => Array.from({ length: azs }, () => masks[z]));
  if (spec.network.ingress === 'public') all.push(...Array.from({ length: azs }, () => PUBLIC_SUBNET_MASK));
  if (!allocate(vpc, all)) {
    const need = all.reduce((n, m) => n + size({ base: 0, mask: m }), 0);
    problems.error('PAB-NET-003', ['spec', 'network', 'zones'],
      `the zones need ${need} addresses (${ZONE_NAMES.map((z) => `${z} /${masks[z]}`).join(', ')}${spec.network.ingress === 'public' ? `, public /${PUBLIC_SUBNET_MASK}` : ''} × ${azs} AZs) but ${spec.network.cidr} has ${size(vpc)} — use longer masks or a wider network.cidr`);
  }
}

const WAF_ACL_ARN = /^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]+\/[\w-]+$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/;

function checkIngress(ctx: RuleContext): void {
  const net = ctx.spec.network;
  const path = ['spec', 'network'];
  if (net.ingress !== 'public') {
    for (const f of ['wafAclArn', 'publicIngressReason'] as const) {
      if (net[f] !== undefined) ctx.problems.warn('PAB-NET-010', [...path, f], 'is ignored: ingress is private');
    }
    const cidrConsumers = net.consumers.some((c) => c.cidr !== undefined);
    if (net.tlsCertificateArn !== undefined && !ACM_ARN.test(net.tlsCertificateArn)) {
      ctx.problems.error('PAB-NET-007', [...path, 'tlsCertificateArn'], `${show(net.tlsCertificateArn)} is not an ACM certificate ARN`);
    } else if (net.tlsCertificateArn !== undefined && (!cidrConsumers || !ctx.spec.aws)) {
      ctx.problems.warn('PAB-NET-010', [...path, 'tlsCertificateArn'], 'is ignored: no internal load balancer (it serves CIDR consumers on AWS only)');
    } else if (net.tlsCertificateArn === undefined && cidrConsumers && ctx.spec.aws) {
      ctx.problems.warn('PAB-NET-012', [...path, 'tlsCertificateArn'],
        'CIDR consumers reach the gateway through the internal load balancer over plain TCP, API keys included — set an ACM certificate for a TLS listener');
    }
    return;
  }
  if (!net.waf) ctx.problems.error('PAB-NET-007', [...path, 'waf'], 'public ingress requires waf: true — the gateway is only exposed behind a WAF');
  // With spec.aws the CloudFormation target creates the web ACL unless one is named; a customer-run cluster must name it.
  if (net.wafAclArn === undefined && !ctx.spec.aws) {
    ctx.problems.error('PAB-NET-007', [...path, 'wafAclArn'], 'public ingress on a customer-run cluster (no spec.aws) requires the ARN of a regional WAFv2 web ACL');
  } else if (net.wafAclArn !== undefined && !WAF_ACL_ARN.test(net.wafAclArn)) {
    ctx.problems.error('PAB-NET-007', [...path, 'wafAclArn'], `${show(net.wafAclArn)} is not the ARN of a regional WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)`);
  } else if (net.wafAclArn !== undefined && ctx.spec.aws && net.wafAclArn.split(':')[3] !== ctx.spec.aws.region) {
    ctx.problems.error('PAB-NET-007', [...path, 'wafAclArn'], `${show(net.wafAclArn)} is in region ${net.wafAclArn.split(':')[3]} — a load balancer can only use a web ACL of its own region (${ctx.spec.aws.region})`);
  }
  if (!net.tlsCertificateArn || !ACM_ARN.test(net.tlsCertificateArn)) {
    ctx.problems.error('PAB-NET-007', [...path, 'tlsCertificateArn'], `${show(net.tlsCertificateArn)} — public ingress requires an ACM certificate ARN (TLS only)`);
  }
  if (!net.publicIngressReason || net.publicIngressReason.trim().length < 8) {
    ctx.problems.error('PAB-NET-007', [...path, 'publicIngressReason'], 'public ingress requires a reason (shown in the evidence report)');
  }
}
