import { ordinal } from '../k8s/k8s-object';
import {
  ALL_PORTS, INTERNET, cfnRef, cidrPeer, earliestInstant, emptyFragment, expiryInstant, groupRuleItems, isPublic, joinPurposes,
  mergeSecrets, sortConditions, sortEvidence, sortPeers, sortPorts, sortStatements, uniqueSorted, type PostureFragment, type RuleItem,
} from './normalize';
import {
  denyInsecureTransport, expiryOf, hasAwsPrincipal, iamStatement, iamStatements, rawStatements, referencedId, requiresMfa, resolveList, resolveString,
} from './normalize-iam';
import type {
  AtRestEncryption, EvidenceRef, IamStatement, IdentityGrant, LockMode, NetworkPeer, NetworkRule, PortRange, RetentionEntry, SecretEntry,
  StoreEncryption,
} from './types';
import { TEMPLATE_RECORD } from '../plan/names';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are read as data of many shapes */

/** Template metadata the SecretsStore construct records on each secret (lib/aws/secrets-store.ts `SECRET_METADATA_KEY`). */
export const SECRET_METADATA_KEY = TEMPLATE_RECORD.secretMetadata;
/** Template metadata the AuditLogArchive construct records on the audit bucket (lib/aws/audit-log-archive.ts `RETENTION_METADATA_KEY`). */
const RETENTION_METADATA_KEY = TEMPLATE_RECORD.retentionMetadata;
/** Tags the AWS target writes (the boundary's label domain). */
const TAG = { owner: TEMPLATE_RECORD.ownerTag, legalHold: TEMPLATE_RECORD.legalHoldTag, expires: TEMPLATE_RECORD.expiresTag } as const;

/** The CDK placeholder egress rule that matches no traffic (255.255.255.255/32, ICMP type 252 code 86): "no egress". */
function isNoTrafficPlaceholder(r: any): boolean {
  return r.CidrIp === '255.255.255.255/32' && String(r.IpProtocol) === 'icmp' && Number(r.FromPort) === 252 && Number(r.ToPort) === 86;
}

/** Thrown when a template cannot be read. */
export class TemplateReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateReadError';
  }
}

interface Resource { readonly Type: string; readonly Properties?: Record<string, any>; readonly Metadata?: Record<string, any> }

/** The name property of each resource type, when the template sets it literally. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'RoleName', 'AWS::S3::Bucket': 'BucketName', 'AWS::Logs::LogGroup': 'LogGroupName', 'AWS::CloudTrail::Trail': 'TrailName',
  'AWS::SecretsManager::Secret': 'Name', 'AWS::EKS::Cluster': 'Name', 'AWS::SQS::Queue': 'QueueName', 'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::DBCluster': 'DBClusterIdentifier', 'AWS::ElastiCache::ReplicationGroup': 'ReplicationGroupId', 'AWS::EC2::LaunchTemplate': 'LaunchTemplateName',
  'AWS::KMS::Alias': 'AliasName',
};

/** Read context: the resources, the stack, and lookups. */
class Template {
  constructor(readonly stack: string, readonly resources: Readonly<Record<string, Resource>>) {}

  ids(type: string): string[] {
    return Object.keys(this.resources).filter((id) => this.resources[id].Type === type).sort(ordinal);
  }
  props(id: string): Record<string, any> {
    return this.resources[id]?.Properties ?? {};
  }
  type(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.resources[id]?.Type;
  }
  ref(id: string): EvidenceRef {
    return cfnRef(this.stack, id);
  }
  tag(id: string, key: string): string | undefined {
    const tags = this.props(id).Tags;
    if (Array.isArray(tags)) return tags.find((t: any) => t.Key === key)?.Value;
    return tags && typeof tags === 'object' ? tags[key] : undefined;
  }
  /** The resource's own name when the template sets it literally (a Name tag for network resources), else its logical id. */
  name(id: string): string {
    const prop = NAME_PROPERTY[this.resources[id]?.Type ?? ''];
    const value = prop ? this.props(id)[prop] : this.tag(id, 'Name');
    return typeof value === 'string' ? value : id;
  }
  /** The logical id a value references, when it is a resource of this template. */
  target(value: unknown): string | undefined {
    const id = referencedId(value);
    return id !== undefined && this.resources[id] ? id : undefined;
  }
  /** A KMS key reference: `cmk` with the key's alias (or id), `aws-managed` for an `alias/aws/*` key, `undefined` if none. */
  key(value: unknown): { atRest: AtRestEncryption; kmsKey?: string } | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const id = this.target(value);
    if (id !== undefined) {
      const alias = this.ids('AWS::KMS::Alias').find((a) => this.target(this.props(a).TargetKeyId) === id);
      return { atRest: 'cmk', kmsKey: alias ? this.props(alias).AliasName : id };
    }
    const text = resolveString(value);
    return /alias\/aws\//.test(text) ? { atRest: 'aws-managed' } : { atRest: 'cmk', kmsKey: text };
  }
  /** A reference to an IAM role of this template as the role's name; anything else as resolved. */
  principalName(value: unknown): string {
    const id = this.target(value);
    return id !== undefined && this.type(id) === 'AWS::IAM::Role' ? this.name(id) : resolveString(value);
  }
}

/** Parses a template's JSON text. */
export function parseTemplate(text: string, file: string): Record<string, any> {
  try {
    return JSON.parse(text) as Record<string, any>;
  } catch (e) {
    throw new TemplateReadError(`${file}: not JSON: ${(e as Error).message}`);
  }
}

/**
 * Reads the posture of a synthesized CloudFormation template: security groups, NACLs, routes, VPC endpoints and
 * the EKS endpoint (network); IAM roles and EKS access entries (identity); Secrets Manager secrets; encryption and
 * retention of every store; the owner tag. Intrinsics are resolved only as far as names need it; AWS is never called.
 */
export function readCloudFormationTemplate(template: unknown, stack: string, file = `${stack}.template.json`): PostureFragment {
  const doc = typeof template === 'string' ? parseTemplate(template, file) : (template as Record<string, any>);
  if (!doc || typeof doc !== 'object' || !doc.Resources || typeof doc.Resources !== 'object') {
    throw new TemplateReadError(`${file}: not a CloudFormation template (no Resources)`);
  }
  const t = new Template(stack, doc.Resources as Record<string, Resource>);
  const f = emptyFragment();
  f.network.push(...securityGroupRules(t), ...networkAclRules(t), ...routeRules(t), ...endpointRules(t), ...clusterEndpointRules(t));
  f.identity.push(...roleGrants(t), ...accessEntryGrants(t));
  const secrets = secretEntries(t);
  f.secrets.push(...mergeSecrets(secrets.entries));
  f.owners.secretOwners.push(...secrets.owners);
  f.encryption.push(...encryption(t));
  f.retention.push(...retention(t));
  for (const id of Object.keys(t.resources)) {
    const owner = t.tag(id, TAG.owner);
    if (owner) f.owners.owner.push(owner);
  }
  return f;
}

// ---- network ---------------------------------------------------------------------------------------------------

function protocolRange(r: any): PortRange {
  const proto = String(r.IpProtocol ?? r.Protocol ?? '-1').toLowerCase();
  const protocol: PortRange['protocol'] = proto === 'tcp' || proto === '6' ? 'tcp' : proto === 'udp' || proto === '17' ? 'udp'
    : proto === 'icmp' || proto === '1' || proto === 'icmpv6' || proto === '58' ? 'icmp' : 'all';
  if (protocol === 'all') return ALL_PORTS;
  const from = Number(r.FromPort ?? r.PortRange?.From ?? -1);
  const to = Number(r.ToPort ?? r.PortRange?.To ?? -1);
  return { protocol, from: from < 0 ? 0 : from, to: to < 0 ? 65535 : to };
}

function sgPeer(r: any, direction: 'ingress' | 'egress'): NetworkPeer {
  if (r.CidrIp !== undefined) return cidrPeer(resolveString(r.CidrIp));
  if (r.CidrIpv6 !== undefined) return cidrPeer(resolveString(r.CidrIpv6));
  const group = direction === 'ingress' ? r.SourceSecurityGroupId ?? r.SourceSecurityGroupName : r.DestinationSecurityGroupId;
  if (group !== undefined) return { kind: 'security-group', name: resolveString(group) };
  const list = direction === 'ingress' ? r.SourcePrefixListId : r.DestinationPrefixListId;
  if (list !== undefined) return { kind: 'prefix-list', id: resolveString(list) };
  return INTERNET;
}

/**
 * Security groups, one rule per group direction (inline rules and AWS::EC2::SecurityGroupIngress/Egress resources).
 * A group with no egress rule at all keeps EC2's default allow-all egress (CloudFormation removes it only when an
 * egress rule is declared, inline or as a resource — aws/aws-cdk#987); a direction with nothing allowed is a deny.
 */
function securityGroupRules(t: Template): NetworkRule[] {
  const rules: NetworkRule[] = [];
  const standalone = (type: string, group: string) => t.ids(type).filter((id) => resolveString(t.props(id).GroupId) === group);
  const groups = new Set([...t.ids('AWS::EC2::SecurityGroup'),
    ...[...t.ids('AWS::EC2::SecurityGroupIngress'), ...t.ids('AWS::EC2::SecurityGroupEgress')].map((id) => resolveString(t.props(id).GroupId))]);
  for (const group of [...groups].sort(ordinal)) {
    const own = t.type(group) === 'AWS::EC2::SecurityGroup' ? t.props(group) : undefined;
    const ownRef = own ? [t.ref(group)] : [];
    for (const direction of ['ingress', 'egress'] as const) {
      const inline: any[] = (direction === 'ingress' ? own?.SecurityGroupIngress : own?.SecurityGroupEgress) ?? [];
      const extra = standalone(direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress', group);
      const items: RuleItem[] = [
        ...inline.filter((r) => !isNoTrafficPlaceholder(r)).map((r) => ({ peers: [sgPeer(r, direction)], ports: [protocolRange(r)], evidence: ownRef, purposes: r.Description ? [r.Description] : [] })),
        ...extra.map((id) => ({ peers: [sgPeer(t.props(id), direction)], ports: [protocolRange(t.props(id))], evidence: [...ownRef, t.ref(id)], purposes: t.props(id).Description ? [t.props(id).Description] : [] })),
      ];
      if (direction === 'egress' && own !== undefined && inline.length === 0 && extra.length === 0) {
        items.push({ peers: [INTERNET], ports: [ALL_PORTS], evidence: ownRef, purposes: ['EC2 default egress: the template declares no egress rule'] });
      }
      rules.push(...sideRules(`network/aws/security-group/${group}/${direction}`, 'SecurityGroup', direction, { kind: 'security-group', name: group }, items, ownRef));
    }
  }
  return rules;
}

function sideRules(base: string, mechanism: NetworkRule['mechanism'], direction: NetworkRule['direction'], subject: NetworkPeer, items: RuleItem[], denyEvidence: EvidenceRef[], denyPurpose?: string): NetworkRule[] {
  if (items.length === 0) {
    return [{ key: base, evidence: sortEvidence(denyEvidence), layer: 'aws', mechanism: 'default-deny', direction, subject, peers: [], ports: [], public: false, ...(denyPurpose ? { purpose: denyPurpose } : {}) }];
  }
  return groupRuleItems(items).map(({ discriminator, item }) => awsRule(discriminator ? `${base}/${discriminator}` : base, mechanism, direction, subject, item));
}

function awsRule(key: string, mechanism: NetworkRule['mechanism'], direction: NetworkRule['direction'], subject: NetworkPeer, item: RuleItem, extra: Partial<NetworkRule> = {}): NetworkRule {
  const peers = sortPeers(item.peers);
  const purpose = joinPurposes(item.purposes);
  return {
    key, evidence: sortEvidence(item.evidence), layer: 'aws', mechanism, direction, subject, peers, ports: sortPorts(item.ports),
    public: isPublic(peers), ...(purpose ? { purpose } : {}), ...extra,
  };
}

/** Subnets (as CIDR peers) associated with a route table or a network ACL, with the association evidence. */
function associatedSubnets(t: Template, type: string, field: string, owner: string): { id: string; peer: NetworkPeer; evidence: EvidenceRef[] }[] {
  return t.ids(type).filter((a) => t.target(t.props(a)[field]) === owner).map((a) => {
    const subnet = t.target(t.props(a).SubnetId);
    const cidr = subnet ? t.props(subnet).CidrBlock : undefined;
    const peer: NetworkPeer = { kind: 'cidr', cidr: typeof cidr === 'string' ? cidr : resolveString(t.props(a).SubnetId) };
    return { id: subnet ? t.name(subnet) : resolveString(t.props(a).SubnetId), peer, evidence: [t.ref(a), ...(subnet ? [t.ref(subnet)] : [])] };
  });
}

/** Network ACL allow entries per associated subnet and direction (deny entries are not subtracted: never narrower than allowed). */
function networkAclRules(t: Template): NetworkRule[] {
  const rules: NetworkRule[] = [];
  for (const acl of t.ids('AWS::EC2::NetworkAcl')) {
    const entries = t.ids('AWS::EC2::NetworkAclEntry').filter((e) => t.target(t.props(e).NetworkAclId) === acl);
    for (const subnet of associatedSubnets(t, 'AWS::EC2::SubnetNetworkAclAssociation', 'NetworkAclId', acl)) {
      for (const direction of ['ingress', 'egress'] as const) {
        const mine = entries.filter((e) => (String(t.props(e).Egress) === 'true') === (direction === 'egress'));
        const items: RuleItem[] = mine.filter((e) => String(t.props(e).RuleAction).toLowerCase() === 'allow').map((e) => ({
          peers: [cidrPeer(resolveString(t.props(e).CidrBlock ?? t.props(e).Ipv6CidrBlock))], ports: [protocolRange(t.props(e))],
          evidence: [t.ref(acl), t.ref(e), ...subnet.evidence], purposes: [`rule ${t.props(e).RuleNumber}`],
        }));
        rules.push(...sideRules(`network/aws/network-acl/${subnet.id}/${direction}`, 'NetworkAcl', direction, subnet.peer, items, [t.ref(acl), ...subnet.evidence]));
      }
    }
  }
  return rules;
}

/** Routes leaving the VPC, per associated subnet: through an internet or NAT gateway = egress to the internet. */
function routeRules(t: Template): NetworkRule[] {
  const rules: NetworkRule[] = [];
  for (const route of t.ids('AWS::EC2::Route')) {
    const p = t.props(route);
    const table = t.target(p.RouteTableId);
    if (!table) continue;
    const gateway = t.target(p.GatewayId);
    const viaInternet = t.type(gateway) === 'AWS::EC2::InternetGateway' || (typeof p.GatewayId === 'string' && p.GatewayId.startsWith('igw-'))
      || p.NatGatewayId !== undefined || p.EgressOnlyInternetGatewayId !== undefined;
    const destination = resolveString(p.DestinationCidrBlock ?? p.DestinationIpv6CidrBlock ?? p.DestinationPrefixListId);
    const via = ['GatewayId', 'NatGatewayId', 'EgressOnlyInternetGatewayId', 'TransitGatewayId', 'VpcPeeringConnectionId', 'NetworkInterfaceId', 'InstanceId', 'VpcEndpointId', 'CarrierGatewayId']
      .find((k) => p[k] !== undefined);
    for (const subnet of associatedSubnets(t, 'AWS::EC2::SubnetRouteTableAssociation', 'RouteTableId', table)) {
      rules.push(awsRule(`network/aws/route/${subnet.id}/${route}`, 'Route', 'egress', subnet.peer, {
        peers: [viaInternet ? INTERNET : p.DestinationPrefixListId !== undefined ? { kind: 'prefix-list', id: destination } : cidrPeer(destination)],
        ports: [ALL_PORTS],
        evidence: [t.ref(route), t.ref(table), ...subnet.evidence, ...(gateway ? [t.ref(gateway)] : [])],
        purposes: [`${destination} via ${via ? `${via.replace(/Id$/, '')} ${resolveString(p[via])}` : 'unknown target'}`],
      }));
    }
  }
  return rules;
}

/** VPC endpoints: a private path from the VPC to an AWS service, with the endpoint policy (absent = full access). */
function endpointRules(t: Template): NetworkRule[] {
  return t.ids('AWS::EC2::VPCEndpoint').map((id) => {
    const p = t.props(id);
    const service = resolveString(p.ServiceName);
    const type = String(p.VpcEndpointType ?? 'Gateway').toLowerCase();
    const vpc = t.target(p.VpcId);
    const cidr = vpc ? t.props(vpc).CidrBlock : undefined;
    const short = service.replace(/^com\.amazonaws\.(\$\{AWS::Region\}|[a-z0-9-]+)\./, '');
    const policy = p.PolicyDocument !== undefined ? sortStatements(iamStatements(p.PolicyDocument)) : undefined;
    return awsRule(`network/aws/vpc-endpoint/${type}/${short}`, 'VpcEndpoint', 'egress', { kind: 'cidr', cidr: typeof cidr === 'string' ? cidr : resolveString(p.VpcId) }, {
      peers: [{ kind: 'aws-service', service }], ports: [ALL_PORTS], evidence: [t.ref(id), ...(vpc ? [t.ref(vpc)] : [])],
      purposes: [`${type} endpoint${p.PrivateDnsEnabled === true ? ' with private DNS' : ''}${policy ? '' : ', no endpoint policy (full access)'}`],
    }, policy ? { policy } : {});
  });
}

/** The EKS API endpoint: public access (default on, from 0.0.0.0/0) and private access (from the VPC). */
function clusterEndpointRules(t: Template): NetworkRule[] {
  return t.ids('AWS::EKS::Cluster').flatMap((id) => {
    const cfg = t.props(id).ResourcesVpcConfig ?? {};
    const name = t.name(id);
    const subject: NetworkPeer = { kind: 'aws-service', service: `eks:${name}` };
    const vpcCidrs = t.ids('AWS::EC2::VPC').map((v) => t.props(v).CidrBlock).filter((c): c is string => typeof c === 'string');
    const publicOn = cfg.EndpointPublicAccess === undefined || String(cfg.EndpointPublicAccess) === 'true';
    const privateOn = String(cfg.EndpointPrivateAccess) === 'true';
    const https: PortRange = { protocol: 'tcp', from: 443, to: 443 };
    const base = `network/aws/eks-endpoint/${name}`;
    const publicRule: NetworkRule = publicOn
      ? { ...awsRule(`${base}/public`, 'ClusterEndpoint', 'ingress', subject, {
        peers: (cfg.PublicAccessCidrs ? resolveList(cfg.PublicAccessCidrs) : ['0.0.0.0/0']).map(cidrPeer), ports: [https], evidence: [t.ref(id)],
        purposes: ['public API server endpoint'],
      }), public: true }
      : sideRules(`${base}/public`, 'ClusterEndpoint', 'ingress', subject, [], [t.ref(id)], 'public API server endpoint disabled')[0];
    const privateRule: NetworkRule = privateOn
      ? awsRule(`${base}/private`, 'ClusterEndpoint', 'ingress', subject, {
        peers: vpcCidrs.length > 0 ? vpcCidrs.map(cidrPeer) : [{ kind: 'cidr', cidr: 'vpc' }], ports: [https], evidence: [t.ref(id)],
        purposes: ['private API server endpoint (the cluster security groups decide who in the VPC)'],
      })
      : sideRules(`${base}/private`, 'ClusterEndpoint', 'ingress', subject, [], [t.ref(id)], 'private API server endpoint disabled')[0];
    return [publicRule, privateRule];
  });
}

// ---- identity --------------------------------------------------------------------------------------------------

/** Managed policies and policies of the template attached to a role, the AWS-managed ARNs it names, and its inline policies. */
function rolePermissions(t: Template, role: string): { statements: IamStatement[]; managed: string[]; evidence: EvidenceRef[] } {
  const statements: IamStatement[] = [];
  const managed: string[] = [];
  const evidence: EvidenceRef[] = [];
  const p = t.props(role);
  for (const arn of (p.ManagedPolicyArns ?? []) as unknown[]) {
    const id = t.target(arn);
    if (id && t.type(id) === 'AWS::IAM::ManagedPolicy') continue; // read below, with the policy's own attachments
    managed.push(resolveString(arn));
  }
  for (const inline of (p.Policies ?? []) as any[]) statements.push(...iamStatements(inline.PolicyDocument));
  for (const type of ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']) {
    for (const id of t.ids(type)) {
      const attached = (t.props(id).Roles ?? []).some((r: unknown) => t.target(r) === role)
        || (p.ManagedPolicyArns ?? []).some((arn: unknown) => t.target(arn) === id);
      if (!attached) continue;
      statements.push(...iamStatements(t.props(id).PolicyDocument));
      evidence.push(t.ref(id));
    }
  }
  return { statements: sortStatements(statements), managed: uniqueSorted(managed), evidence };
}

/** Namespaces a trust policy limits a role to (Pod Identity session tags, web-identity `sub` claims). */
function trustNamespaces(conditions: readonly { key: string; values: readonly string[] }[]): string[] {
  const out: string[] = [];
  for (const c of conditions) {
    if (c.key.endsWith('aws:RequestTag/kubernetes-namespace') || c.key.endsWith('aws:PrincipalTag/kubernetes-namespace')) out.push(...c.values);
    if (c.key.endsWith(':sub')) for (const v of c.values) { const m = /^system:serviceaccount:([^:]+):/.exec(v); if (m) out.push(m[1]); }
  }
  return uniqueSorted(out);
}

/** What a role's trust policy says: who, under which conditions, MFA (for AWS principals), and its end (when every path has one). */
function trustOf(t: Template, role: string) {
  const allow = rawStatements(t.props(role).AssumeRolePolicyDocument).filter((s) => s.Effect !== 'Deny');
  const statements = allow.map(iamStatement);
  const human = allow.filter(hasAwsPrincipal).map(iamStatement);
  return {
    principals: uniqueSorted(statements.flatMap((s) => s.principals ?? [])),
    conditions: sortConditions(statements.flatMap((s) => s.conditions)),
    mfa: human.length === 0 ? undefined : human.every((s) => requiresMfa(s.conditions)),
    expires: statements.length === 0 ? undefined : earliestInstant(statements.map((s) => expiryOf(s.conditions))),
  };
}

/** Every IAM role: its trust (who may assume it, conditions, MFA, expiry) and its permissions. Key: `identity/aws/iam-role/<name>`. */
function roleGrants(t: Template): IdentityGrant[] {
  return t.ids('AWS::IAM::Role').map((role): IdentityGrant => {
    const trust = trustOf(t, role);
    const perms = rolePermissions(t, role);
    const namespaces = trustNamespaces(trust.conditions);
    const associations = ['AWS::EKS::PodIdentityAssociation', 'AWS::IAM::InstanceProfile'].flatMap((type) => t.ids(type)
      .filter((a) => t.target(t.props(a).RoleArn) === role || (t.props(a).Roles ?? []).some((r: unknown) => t.target(r) === role)));
    return {
      key: `identity/aws/iam-role/${t.name(role)}`,
      evidence: sortEvidence([t.ref(role), ...perms.evidence, ...associations.map((a) => t.ref(a))]),
      layer: 'aws',
      principal: { kind: 'iam-role', name: t.name(role) },
      level: 'iam',
      scope: namespaces.length > 0 ? namespaces : 'cluster',
      ...(trust.mfa !== undefined ? { mfa: trust.mfa } : {}),
      ...(trust.expires !== undefined ? { expires: expiryInstant(trust.expires) } : {}),
      trust: { principals: trust.principals, conditions: trust.conditions },
      permissions: perms.statements,
      ...(perms.managed.length > 0 ? { managedPolicyArns: perms.managed } : {}),
    };
  });
}

const ACCESS_POLICY_LEVEL: Readonly<Record<string, string>> = {
  AmazonEKSClusterAdminPolicy: 'cluster-admin', AmazonEKSAdminPolicy: 'admin', AmazonEKSEditPolicy: 'edit', AmazonEKSViewPolicy: 'view',
};

/**
 * What an access entry without access policies allows: a node entry (`EC2_LINUX`, …) the node permissions
 * (`system:nodes`), a standard entry what RBAC grants its Kubernetes groups (`kubernetes-groups:<groups>`).
 */
function levelWithoutPolicy(p: Record<string, any>): string {
  const type = String(p.Type ?? 'STANDARD');
  if (type !== 'STANDARD') return `node:${type}`;
  const groups = uniqueSorted(resolveList(p.KubernetesGroups));
  return groups.length > 0 ? `kubernetes-groups:${groups.join(',')}` : 'none';
}

/** EKS access entries: one grant per access policy association, with its scope; MFA and expiry from the principal role's trust. */
function accessEntryGrants(t: Template): IdentityGrant[] {
  return t.ids('AWS::EKS::AccessEntry').flatMap((id) => {
    const p = t.props(id);
    const role = t.target(p.PrincipalArn);
    const inTemplate = role !== undefined && t.type(role) === 'AWS::IAM::Role';
    const name = t.principalName(p.PrincipalArn);
    const kind: IdentityGrant['principal']['kind'] = inTemplate || /:role\//.test(name) ? 'iam-role' : 'iam-principal';
    const trust = inTemplate ? trustOf(t, role) : undefined;
    const taggedExpiry = t.tag(id, TAG.expires);
    const expires = trust ? trust.expires : taggedExpiry;
    const policies: any[] = p.AccessPolicies ?? [];
    const base = `identity/aws/${kind}/${name}/access-entry`;
    const one = (policy: any | undefined, key: string): IdentityGrant => {
      const policyName = policy ? resolveString(policy.PolicyArn).split('/').pop() ?? '' : '';
      const scope = policy?.AccessScope?.Type === 'namespace' ? uniqueSorted(resolveList(policy.AccessScope.Namespaces)) : 'cluster' as const;
      return {
        key, evidence: sortEvidence([t.ref(id), ...(inTemplate ? [t.ref(role)] : [])]), layer: 'aws', principal: { kind, name },
        level: policy ? ACCESS_POLICY_LEVEL[policyName] ?? policyName : levelWithoutPolicy(p),
        scope,
        ...(trust?.mfa !== undefined ? { mfa: trust.mfa } : {}),
        ...(expires !== undefined ? { expires: expiryInstant(expires) } : {}),
      };
    };
    if (policies.length <= 1) return [one(policies[0], base)];
    return policies.map((policy) => one(policy, `${base}/${resolveString(policy.PolicyArn).split('/').pop()}`));
  });
}

// ---- secrets ---------------------------------------------------------------------------------------------------

/** `rate(30 days)` → 30. */
function scheduleDays(expression: unknown): number | undefined {
  const m = /^rate\((\d+)\s+days?\)$/.exec(resolveString(expression).trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * Secrets Manager secrets: KMS key, rotation (a schedule in the template → `template`; else what the SecretsStore
 * construct records in `PrivateAiBoundary::Secret` metadata: the owner rotates every N days → `customer`, not a
 * credential → `none` with that reason), and readers: the only principals the resource policy does not deny reading
 * the value, or the principals it allows; `*` when no resource policy restricts reads.
 */
function secretEntries(t: Template): { entries: SecretEntry[]; owners: { secret: string; owner: string }[] } {
  const owners: { secret: string; owner: string }[] = [];
  const entries = t.ids('AWS::SecretsManager::Secret').map((id): SecretEntry => {
    const p = t.props(id);
    const name = t.name(id);
    const key = t.key(p.KmsKeyId) ?? { atRest: 'aws-managed' as const };
    const schedules = t.ids('AWS::SecretsManager::RotationSchedule').filter((s) => t.target(t.props(s).SecretId) === id);
    const meta = t.resources[id].Metadata?.[SECRET_METADATA_KEY];
    let rotation: NonNullable<SecretEntry['rotation']> = { by: 'none' };
    if (schedules.length > 0) {
      const rules = t.props(schedules[0]).RotationRules ?? {};
      const days = typeof rules.AutomaticallyAfterDays === 'number' ? rules.AutomaticallyAfterDays : scheduleDays(rules.ScheduleExpression);
      rotation = { by: 'template', ...(days !== undefined ? { days } : {}) };
    } else if (meta?.rotation?.mode === 'owner') {
      rotation = { by: 'customer', ...(typeof meta.rotation.everyDays === 'number' ? { days: meta.rotation.everyDays } : {}) };
    } else if (meta?.rotation?.mode === 'not-a-credential') {
      rotation = { by: 'none', reason: 'not a credential' };
    }
    if (meta?.value === 'set-by-owner' && typeof meta.rotation?.by === 'string') owners.push({ secret: name, owner: meta.rotation.by });
    const policies = t.ids('AWS::SecretsManager::ResourcePolicy').filter((r) => t.target(t.props(r).SecretId) === id);
    const readers = new Set<string>();
    let restricted = false;
    for (const pol of policies) {
      const statements = iamStatements(t.props(pol).ResourcePolicy);
      const raw: any[] = Array.isArray(t.props(pol).ResourcePolicy?.Statement) ? t.props(pol).ResourcePolicy.Statement : [];
      statements.forEach((s, i) => {
        const reads = s.actions.some((a) => a === '*' || a === 'secretsmanager:*' || a === 'secretsmanager:GetSecretValue');
        if (!reads) return;
        if (s.effect === 'Deny' && (s.principals ?? []).includes('*')) {
          const except = Object.entries(raw[i]?.Condition ?? {}).filter(([op]) => /^(StringNotLike|StringNotEquals|ArnNotLike|ArnNotEquals)$/.test(op))
            .flatMap(([, body]) => Object.entries(body as Record<string, unknown>).filter(([k]) => k === 'aws:PrincipalArn').flatMap(([, v]) => (Array.isArray(v) ? v : [v])));
          if (except.length > 0) {
            restricted = true;
            for (const e of except) readers.add(t.principalName(e));
          }
        }
        if (s.effect === 'Allow') {
          const rawPrincipals: unknown[] = Object.values((raw[i]?.Principal ?? {}) as Record<string, unknown>).flatMap((v) => (Array.isArray(v) ? v : [v]));
          for (const pr of rawPrincipals) readers.add(t.principalName(pr));
        }
      });
    }
    if (!restricted) readers.add('*');
    return {
      key: `secret/aws-secrets-manager/${name}`, store: 'aws-secrets-manager', name, atRest: key.atRest, ...(key.kmsKey ? { kmsKey: key.kmsKey } : {}),
      rotation, readers: uniqueSorted(readers), evidence: sortEvidence([t.ref(id), ...schedules.map((s) => t.ref(s)), ...policies.map((r) => t.ref(r))]),
    };
  });
  return { entries, owners };
}

// ---- encryption and retention ----------------------------------------------------------------------------------

function policiesOf(t: Template, type: string, field: string, target: string): { ids: string[]; statements: IamStatement[] } {
  const ids = t.ids(type).filter((p) => resolveList(t.props(p)[field]).includes(target));
  return { ids, statements: ids.flatMap((p) => iamStatements(t.props(p).PolicyDocument)) };
}

function entry(t: Template, kind: StoreEncryption['kind'], name: string, evidence: string[], atRest: AtRestEncryption, extra: Partial<StoreEncryption> = {}): StoreEncryption {
  return { key: `encryption/${kind}/${name}`, evidence: sortEvidence(evidence.map((e) => t.ref(e))), kind, name, atRest, ...extra };
}

function encryption(t: Template): StoreEncryption[] {
  const out: StoreEncryption[] = [];
  const keyed = (value: unknown, otherwise: AtRestEncryption) => t.key(value) ?? { atRest: otherwise };
  for (const id of t.ids('AWS::S3::Bucket')) {
    const p = t.props(id);
    const sse = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
    // No configuration: S3 encrypts new objects with SSE-S3 (AWS-managed) since January 2023.
    const atRest: AtRestEncryption = sse && String(sse.SSEAlgorithm).startsWith('aws:kms') ? (t.key(sse.KMSMasterKeyID) ?? { atRest: 'aws-managed' }).atRest : 'aws-managed';
    const policy = policiesOf(t, 'AWS::S3::BucketPolicy', 'Bucket', id);
    const pab = p.PublicAccessBlockConfiguration ?? {};
    out.push(entry(t, 's3', t.name(id), [id, ...policy.ids], atRest, {
      inTransit: denyInsecureTransport(policy.statements) ? 'enforced' : 'available',
      publicAccessBlocked: ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => String(pab[k]) === 'true'),
    }));
  }
  for (const type of ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster']) {
    for (const id of t.ids(type)) {
      const p = t.props(id);
      const group = t.target(p.DBParameterGroupName ?? p.DBClusterParameterGroupName);
      const force = group ? String(t.props(group).Parameters?.['rds.force_ssl'] ?? t.props(group).Parameters?.require_secure_transport ?? '') : '';
      const atRest: AtRestEncryption = String(p.StorageEncrypted) === 'true' ? keyed(p.KmsKeyId, 'aws-managed').atRest : 'none';
      out.push(entry(t, 'rds', t.name(id), [id, ...(group ? [group] : [])], atRest, { inTransit: force === '1' || force.toUpperCase() === 'ON' || force === 'true' ? 'enforced' : 'available' }));
    }
  }
  for (const id of [...t.ids('AWS::ElastiCache::ReplicationGroup'), ...t.ids('AWS::ElastiCache::CacheCluster')]) {
    const p = t.props(id);
    const atRest: AtRestEncryption = String(p.AtRestEncryptionEnabled) === 'true' ? keyed(p.KmsKeyId, 'aws-managed').atRest : 'none';
    const inTransit = String(p.TransitEncryptionEnabled) !== 'true' ? 'none' : p.TransitEncryptionMode === 'preferred' ? 'available' : 'enforced';
    out.push(entry(t, 'elasticache', t.name(id), [id], atRest, { inTransit }));
  }
  for (const id of t.ids('AWS::Logs::LogGroup')) out.push(entry(t, 'log-group', t.name(id), [id], keyed(t.props(id).KmsKeyId, 'aws-managed').atRest));
  for (const id of t.ids('AWS::SecretsManager::Secret')) out.push(entry(t, 'secret', t.name(id), [id], keyed(t.props(id).KmsKeyId, 'aws-managed').atRest));
  for (const id of t.ids('AWS::CloudTrail::Trail')) out.push(entry(t, 'cloudtrail', t.name(id), [id], keyed(t.props(id).KMSKeyId, 'aws-managed').atRest));
  for (const id of t.ids('AWS::EKS::Cluster')) {
    const config = ((t.props(id).EncryptionConfig ?? []) as any[]).find((c) => resolveList(c.Resources).includes('secrets'));
    // Without a key of its own, EKS envelope-encrypts Kubernetes API data with an AWS-owned key (1.28+).
    out.push(entry(t, 'eks-secrets', t.name(id), [id], config ? keyed(config.Provider?.KeyArn, 'aws-managed').atRest : 'aws-managed'));
  }
  for (const id of t.ids('AWS::SQS::Queue')) {
    const p = t.props(id);
    const policy = policiesOf(t, 'AWS::SQS::QueuePolicy', 'Queues', id);
    const atRest: AtRestEncryption = p.KmsMasterKeyId !== undefined ? keyed(p.KmsMasterKeyId, 'aws-managed').atRest : String(p.SqsManagedSseEnabled) === 'false' ? 'none' : 'aws-managed';
    out.push(entry(t, 'sqs', t.name(id), [id, ...policy.ids], atRest, { inTransit: denyInsecureTransport(policy.statements) ? 'enforced' : 'available' }));
  }
  for (const id of t.ids('AWS::EC2::LaunchTemplate')) {
    for (const m of (t.props(id).LaunchTemplateData?.BlockDeviceMappings ?? []) as any[]) {
      if (!m.Ebs) continue;
      const atRest: AtRestEncryption = String(m.Ebs.Encrypted) === 'true' ? keyed(m.Ebs.KmsKeyId, 'aws-managed').atRest : 'none';
      out.push(entry(t, 'ebs', `${t.name(id)}${m.DeviceName ?? ''}`, [id], atRest));
    }
  }
  for (const id of t.ids('AWS::EC2::Volume')) {
    out.push(entry(t, 'ebs', t.name(id), [id], String(t.props(id).Encrypted) === 'true' ? keyed(t.props(id).KmsKeyId, 'aws-managed').atRest : 'none'));
  }
  return out;
}

/** A bucket's retention: current-version expiration (rules without a filter), Object Lock default retention, versioning, legal hold. */
function bucketRetention(t: Template, id: string): Omit<RetentionEntry, 'key' | 'evidence' | 'kind' | 'name'> {
  const p = t.props(id);
  const rules = ((p.LifecycleConfiguration?.Rules ?? []) as any[]).filter((r) => r.Status === 'Enabled' && r.Prefix === undefined && r.Filter === undefined);
  const expirations = rules.map((r) => r.ExpirationInDays).filter((d): d is number => typeof d === 'number');
  const lockRule = p.ObjectLockConfiguration?.Rule?.DefaultRetention;
  const lockEnabled = String(p.ObjectLockEnabled) === 'true' || p.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
  const lock: LockMode = lockEnabled && (lockRule?.Mode === 'COMPLIANCE' || lockRule?.Mode === 'GOVERNANCE') ? lockRule.Mode : 'none';
  const lockDays = lock === 'none' ? undefined : typeof lockRule?.Days === 'number' ? lockRule.Days : typeof lockRule?.Years === 'number' ? lockRule.Years * 365 : undefined;
  const hold = t.tag(id, TAG.legalHold);
  const reason = t.resources[id].Metadata?.[RETENTION_METADATA_KEY]?.reason;
  return {
    ...(typeof reason === 'string' && reason.trim() !== '' ? { reason: reason.trim() } : {}),
    ...(expirations.length > 0 ? { days: Math.min(...expirations) } : {}),
    lock, ...(lockDays !== undefined ? { lockDays } : {}),
    legalHold: hold !== undefined && ['requested', 'true', 'on', 'enabled'].includes(hold.toLowerCase()),
    versioned: p.VersioningConfiguration?.Status === 'Enabled',
  };
}

function retention(t: Template): RetentionEntry[] {
  const out: RetentionEntry[] = [];
  for (const id of t.ids('AWS::S3::Bucket')) {
    out.push({ key: `retention/bucket/${t.name(id)}`, evidence: [t.ref(id)], kind: 'bucket', name: t.name(id), ...bucketRetention(t, id) });
  }
  for (const id of t.ids('AWS::Logs::LogGroup')) {
    const days = t.props(id).RetentionInDays;
    out.push({ key: `retention/log-group/${t.name(id)}`, evidence: [t.ref(id)], kind: 'log-group', name: t.name(id), ...(typeof days === 'number' ? { days } : {}) });
  }
  for (const id of t.ids('AWS::CloudTrail::Trail')) {
    // A trail's records live in its bucket: they are kept as the bucket keeps them.
    const bucket = t.target(t.props(id).S3BucketName);
    const kept = bucket ? bucketRetention(t, bucket) : {};
    out.push({ key: `retention/trail/${t.name(id)}`, evidence: sortEvidence([t.ref(id), ...(bucket ? [t.ref(bucket)] : [])]), kind: 'trail', name: t.name(id), ...kept });
  }
  return out;
}
