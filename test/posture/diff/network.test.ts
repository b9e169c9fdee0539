import type { ChangeKind } from '../../../lib/posture/diff';
import type { NetworkRule } from '../../../lib/posture/types';
import { allPorts, allow, change, cidr, internet, kindOf, ns, pods, prefixList, rule, service, sg, tcp, udp } from './builders';

type Case = [string, NetworkRule | undefined, NetworkRule | undefined, ChangeKind];

const gw = pods('acme-prod-gateway', { app: 'gateway' });

/** The narrowing cases issue #5 names, each with its reverse as broadening. */
const ISSUE_CASES: Case[] = [
  ['0.0.0.0/0 → 10.0.0.0/16', rule({ peers: [cidr('0.0.0.0/0')] }), rule({ peers: [cidr('10.0.0.0/16')] }), 'narrowing'],
  ['10.0.0.0/16 → 0.0.0.0/0', rule({ peers: [cidr('10.0.0.0/16')] }), rule({ peers: [cidr('0.0.0.0/0')] }), 'broadening'],
  ['internet → 10.0.0.0/16', rule({ peers: [internet], public: true }), rule({ peers: [cidr('10.0.0.0/16')] }), 'narrowing'],
  ['10.0.0.0/16 → internet', rule({ peers: [cidr('10.0.0.0/16')] }), rule({ peers: [internet], public: true }), 'broadening'],
  ['all ports → tcp/443', rule({ ports: [allPorts] }), rule({ ports: [tcp(443)] }), 'narrowing'],
  ['tcp/443 → all ports', rule({ ports: [tcp(443)] }), rule({ ports: [allPorts] }), 'broadening'],
  ['0.0.0.0/0 on all → 10.0.0.0/16 on tcp/443', rule({ peers: [cidr('0.0.0.0/0')], ports: [allPorts] }), rule({ peers: [cidr('10.0.0.0/16')], ports: [tcp(443)] }), 'narrowing'],
  ['10.0.0.0/16 on tcp/443 → 0.0.0.0/0 on all', rule({ peers: [cidr('10.0.0.0/16')], ports: [tcp(443)] }), rule({ peers: [cidr('0.0.0.0/0')], ports: [allPorts] }), 'broadening'],
];

const CIDR_CASES: Case[] = [
  ['/16 → /24 inside it', rule({ peers: [cidr('10.60.0.0/16')] }), rule({ peers: [cidr('10.60.7.0/24')] }), 'narrowing'],
  ['/24 → a disjoint /24', rule({ peers: [cidr('10.60.7.0/24')] }), rule({ peers: [cidr('10.60.8.0/24')] }), 'broadening'],
  ['two /17 halves → the /16 (same set)', rule({ peers: [cidr('10.0.0.0/17'), cidr('10.0.128.0/17')] }), rule({ peers: [cidr('10.0.0.0/16')] }), 'neutral'],
  ['/16 → its two /17 halves (same set)', rule({ peers: [cidr('10.0.0.0/16')] }), rule({ peers: [cidr('10.0.0.0/17'), cidr('10.0.128.0/17')] }), 'neutral'],
  ['a peer dropped from a union', rule({ peers: [cidr('10.60.0.0/16'), cidr('10.70.0.0/16')] }), rule({ peers: [cidr('10.60.0.0/16')] }), 'narrowing'],
  ['a peer added to a union', rule({ peers: [cidr('10.60.0.0/16')] }), rule({ peers: [cidr('10.60.0.0/16'), cidr('10.70.0.0/16')] }), 'broadening'],
  ['host bits written differently (same block)', rule({ peers: [cidr('10.60.0.0/16')] }), rule({ peers: [cidr('10.60.1.2/16')] }), 'neutral'],
  ['IPv6 ::/0 → 2001:db8::/32', rule({ peers: [cidr('::/0')] }), rule({ peers: [cidr('2001:db8::/32')] }), 'narrowing'],
  ['IPv6 2001:db8::/32 → ::/0', rule({ peers: [cidr('2001:db8::/32')] }), rule({ peers: [cidr('::/0')] }), 'broadening'],
  ['IPv6 /48 → its /32', rule({ peers: [cidr('2001:db8:1::/48')] }), rule({ peers: [cidr('2001:db8::/32')] }), 'broadening'],
  ['IPv6 /32 → a /64 inside', rule({ peers: [cidr('2001:db8::/32')] }), rule({ peers: [cidr('2001:db8:0:1::/64')] }), 'narrowing'],
  ['IPv6 disjoint /48s', rule({ peers: [cidr('2001:db8:1::/48')] }), rule({ peers: [cidr('2001:db8:2::/48')] }), 'broadening'],
  ['IPv6 halves → whole (same set)', rule({ peers: [cidr('2001:db8::/33'), cidr('2001:db8:8000::/33')] }), rule({ peers: [cidr('2001:db8::/32')] }), 'neutral'],
  ['IPv6 compressed vs full form', rule({ peers: [cidr('2001:db8::/32')] }), rule({ peers: [cidr('2001:0db8:0000::/32')] }), 'neutral'],
  ['IPv4 block → an IPv6 block', rule({ peers: [cidr('10.0.0.0/8')] }), rule({ peers: [cidr('fd00::/8')] }), 'broadening'],
];

const PORT_CASES: Case[] = [
  ['tcp/* → tcp/443', rule({ ports: [tcp(0, 65535)] }), rule({ ports: [tcp(443)] }), 'narrowing'],
  ['tcp/443 → tcp/443-444', rule({ ports: [tcp(443)] }), rule({ ports: [tcp(443, 444)] }), 'broadening'],
  ['tcp/443 + tcp/444 → tcp/443-444 (same set)', rule({ ports: [tcp(443), tcp(444)] }), rule({ ports: [tcp(443, 444)] }), 'neutral'],
  ['tcp/53 → udp/53 (other protocol)', rule({ ports: [tcp(53)] }), rule({ ports: [udp(53)] }), 'broadening'],
  ['all → tcp/* + udp/* (narrower: other protocols remain)', rule({ ports: [allPorts] }), rule({ ports: [tcp(0, 65535), udp(0, 65535)] }), 'narrowing'],
  ['tcp/* + udp/* → all', rule({ ports: [tcp(0, 65535), udp(0, 65535)] }), rule({ ports: [allPorts] }), 'broadening'],
];

const PEER_CASES: Case[] = [
  ['namespace → pods in it', rule({ peers: [ns('research')] }), rule({ peers: [pods('research', { app: 'nb' })] }), 'narrowing'],
  ['pods in a namespace → the namespace', rule({ peers: [pods('research', { app: 'nb' })] }), rule({ peers: [ns('research')] }), 'broadening'],
  ['selector gains a label (fewer pods)', rule({ peers: [pods('research', { app: 'nb' })] }), rule({ peers: [pods('research', { app: 'nb', tier: 'gpu' })] }), 'narrowing'],
  ['selector loses a label (more pods)', rule({ peers: [pods('research', { app: 'nb', tier: 'gpu' })] }), rule({ peers: [pods('research', { app: 'nb' })] }), 'broadening'],
  ['pods of every namespace → pods of one', rule({ peers: [pods('*', { app: 'nb' })] }), rule({ peers: [pods('research', { app: 'nb' })] }), 'narrowing'],
  ['another namespace', rule({ peers: [ns('research')] }), rule({ peers: [ns('finance')] }), 'broadening'],
  ['a CIDR replaced by a namespace (ipBlock is cluster-external)', rule({ peers: [cidr('10.60.0.0/16')] }), rule({ peers: [ns('research')] }), 'broadening'],
  ['subject widened from the gateway pods to its namespace', rule({ subject: gw }), rule({ subject: ns('acme-prod-gateway') }), 'broadening'],
  ['subject narrowed to fewer pods', rule({ subject: ns('acme-prod-gateway') }), rule({ subject: gw }), 'narrowing'],
  ['peers and ports both narrowed', rule({ peers: [ns('research')], ports: [allPorts] }), rule({ peers: [pods('research', { app: 'nb' })], ports: [tcp(4000)] }), 'narrowing'],
  ['peers narrowed but ports widened: the new ports are broadening', rule({ peers: [cidr('10.0.0.0/8')], ports: [tcp(443)] }), rule({ peers: [cidr('10.1.0.0/16')], ports: [tcp(443), tcp(8443)] }), 'broadening'],
  ['the rule now allows nothing', rule(), rule({ peers: [] }), 'narrowing'],
];

/** Unions and sets the posture does not enumerate: neither direction can be proven. */
const UNDETERMINED_CASES: Case[] = [
  ['one security group → another', rule({ layer: 'aws', mechanism: 'SecurityGroup', peers: [sg('GatewaySg')] }), rule({ layer: 'aws', mechanism: 'SecurityGroup', peers: [sg('DataSg')] }), 'undetermined'],
  ['a prefix list → a CIDR', rule({ layer: 'aws', mechanism: 'SecurityGroup', peers: [prefixList('pl-6ea54007')] }), rule({ layer: 'aws', mechanism: 'SecurityGroup', peers: [cidr('52.219.0.0/16')] }), 'undetermined'],
  ['a CIDR → a security group', rule({ layer: 'aws', mechanism: 'SecurityGroup', peers: [cidr('10.40.0.0/22')] }), rule({ layer: 'aws', mechanism: 'SecurityGroup', peers: [sg('GatewaySg')] }), 'undetermined'],
  ['a CIDR partly outside the old CIDR, old side also a security group', rule({ layer: 'aws', mechanism: 'SecurityGroup', peers: [cidr('10.40.0.0/24'), sg('GatewaySg')] }), rule({ layer: 'aws', mechanism: 'SecurityGroup', peers: [cidr('10.40.0.0/23')] }), 'undetermined'],
  ['enforcement moved to another mechanism', rule(), rule({ layer: 'aws', mechanism: 'SecurityGroup' }), 'undetermined'],
  ['direction flipped', rule(), rule({ direction: 'egress' }), 'undetermined'],
];

const ENTRY_CASES: Case[] = [
  ['a new path', undefined, rule(), 'broadening'],
  ['a path removed', rule(), undefined, 'narrowing'],
  ['a new default deny', undefined, rule({ mechanism: 'default-deny', peers: [], ports: [] }), 'narrowing'],
  ['a default deny removed', rule({ mechanism: 'default-deny', peers: [], ports: [] }), undefined, 'broadening'],
  ['default deny widened to the whole namespace', rule({ mechanism: 'default-deny', peers: [], ports: [] }), rule({ mechanism: 'default-deny', peers: [], ports: [], subject: ns('acme-prod-gateway') }), 'narrowing'],
  ['default deny shrunk to fewer pods', rule({ mechanism: 'default-deny', peers: [], ports: [], subject: ns('acme-prod-gateway') }), rule({ mechanism: 'default-deny', peers: [], ports: [] }), 'broadening'],
  ['default deny replaced by an allow', rule({ mechanism: 'default-deny', peers: [], ports: [] }), rule(), 'broadening'],
  ['an allow replaced by a default deny', rule(), rule({ mechanism: 'default-deny', peers: [], ports: [] }), 'narrowing'],
  ['a new rule that allows nothing', undefined, rule({ peers: [] }), 'neutral'],
  ['purpose text changed', rule({ purpose: 'consumers' }), rule({ purpose: 'consumers → gateway' }), 'neutral'],
  ['peers written in another order', rule({ peers: [cidr('10.60.0.0/16'), ns('research')] }), rule({ peers: [ns('research'), cidr('10.60.0.0/16')] }), 'neutral'],
  ['only the evidence moved', rule(), rule({ evidence: [{ source: 'kubernetes', ref: 'NetworkPolicy/acme-prod-gateway/allow-consumers-v2' }] }), 'neutral'],
];

const endpoint = (over: Partial<NetworkRule> = {}): NetworkRule => rule({
  key: 'network/aws/VpcEndpoint/s3/ingress', layer: 'aws', mechanism: 'VpcEndpoint', subject: service('com.amazonaws.eu-central-1.s3'),
  peers: [cidr('10.40.0.0/16')], ports: [tcp(443)], ...over,
});
const POLICY_CASES: Case[] = [
  ['endpoint policy added (was full access)', endpoint(), endpoint({ policy: [allow(['s3:GetObject'], ['arn:aws:s3:::acme-models/*'], [], ['*'])] }), 'narrowing'],
  ['endpoint policy removed (now full access)', endpoint({ policy: [allow(['s3:GetObject'], ['arn:aws:s3:::acme-models/*'], [], ['*'])] }), endpoint(), 'broadening'],
  ['endpoint policy gains a bucket', endpoint({ policy: [allow(['s3:GetObject'], ['arn:aws:s3:::acme-models/*'], [], ['*'])] }),
    endpoint({ policy: [allow(['s3:GetObject'], ['arn:aws:s3:::acme-models/*', 'arn:aws:s3:::other/*'], [], ['*'])] }), 'broadening'],
  ['endpoint policy limited to one account', endpoint({ policy: [allow(['s3:*'], ['*'], [], ['*'])] }), endpoint({ policy: [allow(['s3:*'], ['*'], [], ['111122223333'])] }), 'narrowing'],
];

describe('network changes are classified by containment of subject × peers × ports', () => {
  test.each([...ISSUE_CASES, ...CIDR_CASES, ...PORT_CASES, ...PEER_CASES, ...UNDETERMINED_CASES, ...ENTRY_CASES, ...POLICY_CASES])('%s: %#', (_name, before, after, expected) => {
    expect(kindOf(before, after)).toBe(expected);
  });
});

describe('network change details name what widened or narrowed', () => {
  test('tightening 0.0.0.0/0 on all ports to 10.0.0.0/16 on 443 says what is no longer allowed', () => {
    const c = change(rule({ peers: [internet], ports: [allPorts], public: true }), rule({ peers: [cidr('10.0.0.0/16')], ports: [tcp(443)] }));
    expect(c.summary).toBe('ingress to pods acme-prod-gateway{app=gateway}: internet → 10.0.0.0/16; ports all → tcp/443');
    expect(c.details).toEqual(['no longer admits internet', 'ports narrowed: all no longer allowed']);
  });

  test('a widened CIDR reports the new part', () => {
    const c = change(rule({ peers: [cidr('10.60.0.0/16')] }), rule({ peers: [cidr('10.60.0.0/15')] }));
    expect(c.details).toContain('admits 10.60.0.0/15 (new: 10.61.0.0/16)');
  });

  test('a CIDR partly dropped says which part is no longer admitted', () => {
    const c = change(rule({ peers: [cidr('10.60.0.0/16')] }), rule({ peers: [cidr('10.60.128.0/17')] }));
    expect([c.kind, c.details]).toEqual(['narrowing', ['admits less of 10.60.0.0/16 (no longer: 10.60.0.0/17)']]);
  });

  test('widened ports report the newly allowed ranges', () => {
    const c = change(rule({ ports: [tcp(443)] }), rule({ ports: [tcp(1, 1024)] }));
    expect(c.kind).toBe('broadening');
    expect(c.details).toEqual(['ports widened: tcp/1-442, tcp/444-1024 newly allowed']);
  });

  test('an undecidable peer says what it could not compare', () => {
    const c = change(rule({ peers: [sg('GatewaySg')] }), rule({ peers: [sg('DataSg')] }));
    expect(c.details).toContain('cannot tell whether sg/DataSg is within sg/GatewaySg');
  });

  test('a new path lists what it admits', () => {
    const c = change(undefined, rule({ peers: [internet], public: true, ports: [tcp(443)] }));
    expect(c.summary).toBe('new path: ingress to pods acme-prod-gateway{app=gateway} admits internet on tcp/443');
  });
});
