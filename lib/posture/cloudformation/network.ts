/** Reads a template's network rules: security groups, network ACLs, routes, VPC endpoints and the EKS API endpoint. */
import { ordinal } from '../../k8s/k8s-object';
import {
  ALL_PORTS, INTERNET, cidrPeer, groupRuleItems, isPublic, joinPurposes, sortEvidence, sortPeers, sortPorts, sortStatements, type RuleItem,
} from '../normalize';
import { iamStatements, resolveList, resolveString } from '../normalize-iam';
import type { EvidenceRef, NetworkPeer, NetworkRule, PortRange } from '../types';
import type { Template } from './template';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are read as data of many shapes */

/** The CDK placeholder egress rule that matches no traffic (255.255.255.255/32, ICMP type 252 code 86): "no egress". */
function isNoTrafficPlaceholder(r: any): boolean {
  return r.CidrIp === '255.255.255.255/32' && String(r.IpProtocol) === 'icmp' && Number(r.FromPort) === 252 && Number(r.ToPort) === 86;
}

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
export function securityGroupRules(t: Template): NetworkRule[] {
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
export function networkAclRules(t: Template): NetworkRule[] {
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
export function routeRules(t: Template): NetworkRule[] {
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
export function endpointRules(t: Template): NetworkRule[] {
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
export function clusterEndpointRules(t: Template): NetworkRule[] {
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
