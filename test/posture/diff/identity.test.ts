import type { ChangeKind } from '../../../lib/posture/diff';
import type { IamCondition, IamStatement, IdentityGrant } from '../../../lib/posture/types';
import { allow, change, cond, deny, grant, kindOf, MFA, role } from './builders';

type Case = [string, IdentityGrant | undefined, IdentityGrant | undefined, ChangeKind];

const AUDIT = 'arn:aws:s3:::acme-audit/gateway/*';
const ROOT = 'arn:aws:iam::111122223333:root';
const OPS = 'arn:aws:iam::111122223333:role/ops';
const perms = (...statements: IamStatement[]): IdentityGrant => role({ permissions: statements });
const trust = (principals: string[], conditions: IamCondition[] = []): IdentityGrant => role({ trust: { principals, conditions } });
/** A permission statement under one condition, to compare condition values. */
const when = (c: IamCondition): IdentityGrant => perms(allow(['s3:GetObject'], [AUDIT], [c]));

/** The narrowing cases issue #5 names, each with its reverse as broadening. */
const ISSUE_CASES: Case[] = [
  ['resource * → one ARN', perms(allow(['s3:PutObject'], ['*'])), perms(allow(['s3:PutObject'], [AUDIT])), 'narrowing'],
  ['one ARN → resource *', perms(allow(['s3:PutObject'], [AUDIT])), perms(allow(['s3:PutObject'], ['*'])), 'broadening'],
  ['trust: MFA condition added', trust([OPS]), trust([OPS], [MFA]), 'narrowing'],
  ['trust: MFA condition removed', trust([OPS], [MFA]), trust([OPS]), 'broadening'],
  ['permissions: * → one ARN and an MFA condition added', perms(allow(['s3:PutObject'], ['*'])), perms(allow(['s3:PutObject'], [AUDIT], [MFA])), 'narrowing'],
  ['permissions: one ARN with MFA → * without', perms(allow(['s3:PutObject'], [AUDIT], [MFA])), perms(allow(['s3:PutObject'], ['*'])), 'broadening'],
  ['trust: * → one role ARN and MFA added', trust(['*']), trust([OPS], [MFA]), 'narrowing'],
  ['trust: one role ARN with MFA → *', trust([OPS], [MFA]), trust(['*']), 'broadening'],
];

const ACTION_CASES: Case[] = [
  ['s3:* → s3:GetObject', perms(allow(['s3:*'], [AUDIT])), perms(allow(['s3:GetObject'], [AUDIT])), 'narrowing'],
  ['s3:GetObject → s3:*', perms(allow(['s3:GetObject'], [AUDIT])), perms(allow(['s3:*'], [AUDIT])), 'broadening'],
  ['* → s3:*', perms(allow(['*'], [AUDIT])), perms(allow(['s3:*'], [AUDIT])), 'narrowing'],
  ['action case differs only (IAM is case-insensitive)', perms(allow(['S3:GetObject'], [AUDIT])), perms(allow(['s3:getobject'], [AUDIT])), 'neutral'],
  ['s3:Get* → two Get actions', perms(allow(['s3:Get*'], [AUDIT])), perms(allow(['s3:GetObject', 's3:GetObjectTagging'], [AUDIT])), 'narrowing'],
  ['s3:GetObject → s3:PutObject', perms(allow(['s3:GetObject'], [AUDIT])), perms(allow(['s3:PutObject'], [AUDIT])), 'broadening'],
  ['s3:Get* gains s3:List*', perms(allow(['s3:Get*'], [AUDIT])), perms(allow(['s3:Get*', 's3:List*'], [AUDIT])), 'broadening'],
  ['s3:Get?bject → s3:GetObject', perms(allow(['s3:Get?bject'], [AUDIT])), perms(allow(['s3:GetObject'], [AUDIT])), 'narrowing'],
  ['statements split (same set)', perms(allow(['s3:GetObject', 's3:PutObject'], [AUDIT])), perms(allow(['s3:GetObject'], [AUDIT]), allow(['s3:PutObject'], [AUDIT])), 'neutral'],
];

const RESOURCE_CASES: Case[] = [
  ['bucket/* → bucket/prefix/*', perms(allow(['s3:GetObject'], ['arn:aws:s3:::acme-audit/*'])), perms(allow(['s3:GetObject'], [AUDIT])), 'narrowing'],
  ['bucket/prefix/* → bucket/*', perms(allow(['s3:GetObject'], [AUDIT])), perms(allow(['s3:GetObject'], ['arn:aws:s3:::acme-audit/*'])), 'broadening'],
  ['log-? → log-1', perms(allow(['s3:GetObject'], ['arn:aws:s3:::a/log-?'])), perms(allow(['s3:GetObject'], ['arn:aws:s3:::a/log-1'])), 'narrowing'],
  ['ARNs compare case-sensitively', perms(allow(['s3:GetObject'], ['arn:aws:s3:::a/x'])), perms(allow(['s3:GetObject'], ['arn:aws:s3:::a/X'])), 'broadening'],
  ['a statement added', perms(allow(['s3:PutObject'], [AUDIT])), perms(allow(['s3:PutObject'], [AUDIT]), allow(['kms:Decrypt'], ['*'])), 'broadening'],
  ['a statement removed', perms(allow(['s3:PutObject'], [AUDIT]), allow(['kms:Decrypt'], ['*'])), perms(allow(['s3:PutObject'], [AUDIT])), 'narrowing'],
];

const PRINCIPAL_CASES: Case[] = [
  ['* → account root', trust(['*']), trust([ROOT]), 'narrowing'],
  ['account root → a role of that account', trust([ROOT]), trust([OPS]), 'narrowing'],
  ['a role → its account root', trust([OPS]), trust([ROOT]), 'broadening'],
  ['account root → *', trust([ROOT]), trust(['*']), 'broadening'],
  ['bare account id = account root', trust(['111122223333']), trust([ROOT]), 'neutral'],
  ['a role → another role', trust([OPS]), trust(['arn:aws:iam::111122223333:role/dev']), 'broadening'],
  ['account root → a role of another account', trust([ROOT]), trust(['arn:aws:iam::444455556666:role/ops']), 'broadening'],
  ['a service principal → another service', trust(['pods.eks.amazonaws.com']), trust(['ec2.amazonaws.com']), 'broadening'],
  ['a service principal is not in an account', trust([ROOT]), trust(['pods.eks.amazonaws.com']), 'broadening'],
  ['a principal dropped', trust([OPS, 'arn:aws:iam::111122223333:role/dev']), trust([OPS]), 'narrowing'],
];

const CONDITION_CASES: Case[] = [
  ['StringEquals {a, b} → {a}', when(cond('StringEquals', 'aws:PrincipalTag/team', 'a', 'b')), when(cond('StringEquals', 'aws:PrincipalTag/team', 'a')), 'narrowing'],
  ['StringEquals {a} → {a, b}', when(cond('StringEquals', 'aws:PrincipalTag/team', 'a')), when(cond('StringEquals', 'aws:PrincipalTag/team', 'a', 'b')), 'broadening'],
  ['StringLike role/* → StringEquals one role', when(cond('StringLike', 'aws:PrincipalArn', 'arn:aws:iam::1:role/*')), when(cond('StringEquals', 'aws:PrincipalArn', 'arn:aws:iam::1:role/ops')), 'narrowing'],
  ['StringEquals "*" is literal, not a wildcard', when(cond('StringEquals', 'aws:PrincipalArn', '*')), when(cond('StringEquals', 'aws:PrincipalArn', 'x')), 'broadening'],
  ['condition keys compare case-insensitively', when(cond('StringEquals', 'aws:SourceVpc', 'vpc-1')), when(cond('StringEquals', 'AWS:SOURCEVPC', 'vpc-1')), 'neutral'],
  ['StringNotEquals excludes more', when(cond('StringNotEquals', 'aws:PrincipalTag/team', 'a')), when(cond('StringNotEquals', 'aws:PrincipalTag/team', 'a', 'b')), 'narrowing'],
  ['IpAddress 10.0.0.0/8 → 10.1.0.0/16', when(cond('IpAddress', 'aws:SourceIp', '10.0.0.0/8')), when(cond('IpAddress', 'aws:SourceIp', '10.1.0.0/16')), 'narrowing'],
  ['IpAddress 10.1.0.0/16 → 10.0.0.0/8', when(cond('IpAddress', 'aws:SourceIp', '10.1.0.0/16')), when(cond('IpAddress', 'aws:SourceIp', '10.0.0.0/8')), 'broadening'],
  ['IpAddress IPv6 /32 → /48', when(cond('IpAddress', 'aws:SourceIp', '2001:db8::/32')), when(cond('IpAddress', 'aws:SourceIp', '2001:db8:1::/48')), 'narrowing'],
  ['DateLessThan CurrentTime earlier', when(cond('DateLessThan', 'aws:CurrentTime', '2027-01-01T00:00:00Z')), when(cond('DateLessThan', 'aws:CurrentTime', '2026-12-01T00:00:00Z')), 'narrowing'],
  ['DateLessThan CurrentTime later', when(cond('DateLessThan', 'aws:CurrentTime', '2026-12-01T00:00:00Z')), when(cond('DateLessThan', 'aws:CurrentTime', '2027-01-01T00:00:00Z')), 'broadening'],
  ['NumericLessThan MFA age 3600 → 900', when(cond('NumericLessThan', 'aws:MultiFactorAuthAge', '3600')), when(cond('NumericLessThan', 'aws:MultiFactorAuthAge', '900')), 'narrowing'],
  ['NumericLessThan → NumericLessThanEquals at the same bound', when(cond('NumericLessThan', 'aws:MultiFactorAuthAge', '900')), when(cond('NumericLessThanEquals', 'aws:MultiFactorAuthAge', '900')), 'broadening'],
  ['…IfExists added: also true when the key is absent', when(cond('StringEquals', 'aws:SourceVpc', 'vpc-1')), when(cond('StringEqualsIfExists', 'aws:SourceVpc', 'vpc-1')), 'broadening'],
  ['operator family changed (cannot compare)', when(cond('StringEquals', 'aws:SourceVpc', 'vpc-1')), when(cond('ArnLike', 'aws:SourceVpc', 'vpc-*')), 'undetermined'],
  ['an operator the engine does not order', when(cond('BinaryEquals', 'aws:Token', 'QUJD')), when(cond('BinaryEquals', 'aws:Token', 'REVG')), 'undetermined'],
];

const DENY_CASES: Case[] = [
  ['a Deny added', perms(allow(['s3:*'], ['*'])), perms(allow(['s3:*'], ['*']), deny(['s3:DeleteObject'], ['*'])), 'narrowing'],
  ['a Deny removed where an unconditional Allow reaches', perms(allow(['s3:*'], ['*']), deny(['s3:DeleteObject'], ['*'])), perms(allow(['s3:*'], ['*'])), 'broadening'],
  ['a Deny widened', perms(allow(['s3:*'], ['*']), deny(['s3:DeleteObject'], ['*'])), perms(allow(['s3:*'], ['*']), deny(['s3:Delete*'], ['*'])), 'narrowing'],
  ['a Deny narrowed', perms(allow(['s3:*'], ['*']), deny(['s3:Delete*'], ['*'])), perms(allow(['s3:*'], ['*']), deny(['s3:DeleteObject'], ['*'])), 'broadening'],
  ['a Deny no Allow reaches removed', perms(allow(['s3:GetObject'], [AUDIT]), deny(['ec2:*'], ['*'])), perms(allow(['s3:GetObject'], [AUDIT])), 'neutral'],
  ['a Deny gains a condition (denies less)', perms(allow(['s3:*'], ['*']), deny(['s3:DeleteObject'], ['*'])), perms(allow(['s3:*'], ['*']), deny(['s3:DeleteObject'], ['*'], [MFA])), 'broadening'],
  ['MFA dropped from an Allow another Allow overlaps', perms(allow(['s3:*'], ['*'], [MFA]), allow(['s3:GetObject'], [AUDIT])), perms(allow(['s3:*'], ['*']), allow(['s3:GetObject'], [AUDIT])), 'broadening'],
  ['conditions swapped across two statements (cannot prove)', perms(allow(['s3:*'], ['*'], [MFA]), allow(['s3:*'], ['*'], [cond('StringEquals', 'aws:SourceVpc', 'vpc-1')])),
    perms(allow(['s3:*'], ['*'], [cond('StringEquals', 'aws:SourceVpc', 'vpc-2')])), 'undetermined'],
];

const KUBERNETES_CASES: Case[] = [
  ['view → edit', grant(), grant({ level: 'edit' }), 'broadening'],
  ['admin → view', grant({ level: 'admin' }), grant(), 'narrowing'],
  ['edit → cluster-admin', grant({ level: 'edit' }), grant({ level: 'cluster-admin' }), 'broadening'],
  ['a custom role name (cannot be ordered)', grant({ level: 'model-reader' }), grant({ level: 'model-operator' }), 'undetermined'],
  ['one namespace → cluster', grant(), grant({ scope: 'cluster' }), 'broadening'],
  ['cluster → one namespace', grant({ scope: 'cluster' }), grant(), 'narrowing'],
  ['a namespace added to the scope', grant(), grant({ scope: ['acme-prod-team-research', 'acme-prod-team-finance'] }), 'broadening'],
  ['expiry moved later', grant(), grant({ expires: '2027-03-31T00:00:00Z' }), 'broadening'],
  ['expiry moved earlier', grant(), grant({ expires: '2026-12-01T00:00:00Z' }), 'narrowing'],
  ['expiry removed', grant(), grant({ expires: undefined }), 'broadening'],
  ['expiry added', grant({ expires: undefined }), grant(), 'narrowing'],
  ['MFA required', grant(), grant({ mfa: true }), 'narrowing'],
  ['MFA no longer required', grant({ mfa: true }), grant(), 'broadening'],
  ['RBAC verbs widened', grant({ permissions: [allow(['get', 'list'], ['pods'])] }), grant({ permissions: [allow(['*'], ['pods'])] }), 'broadening'],
  ['RBAC resources narrowed', grant({ permissions: [allow(['get'], ['*'])] }), grant({ permissions: [allow(['get'], ['pods', 'services'])] }), 'narrowing'],
  ['level narrowed but expiry later: the later expiry broadens', grant({ level: 'edit' }), grant({ expires: '2027-03-31T00:00:00Z' }), 'broadening'],
];

const ENTRY_CASES: Case[] = [
  ['new access', undefined, grant(), 'broadening'],
  ['access removed', grant(), undefined, 'narrowing'],
  ['an AWS-managed policy attached', role(), role({ managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }), 'broadening'],
  ['an AWS-managed policy detached', role({ managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }), role(), 'narrowing'],
  ['trust no longer recorded', role(), role({ trust: undefined }), 'undetermined'],
];

describe('identity changes are classified by IAM and RBAC containment', () => {
  test.each([...ISSUE_CASES, ...ACTION_CASES, ...RESOURCE_CASES, ...PRINCIPAL_CASES, ...CONDITION_CASES, ...DENY_CASES, ...KUBERNETES_CASES, ...ENTRY_CASES])('%s: %#', (_name, before, after, expected) => {
    expect(kindOf(before, after)).toBe(expected);
  });
});

describe('identity change details', () => {
  test('* → one ARN with MFA names both narrowings field by field', () => {
    const c = change(perms(allow(['s3:PutObject'], ['*'])), perms(allow(['s3:PutObject'], [AUDIT], [MFA])));
    expect(c.details).toEqual([`Allow resources: * → ${AUDIT}`, 'Allow condition added: Bool aws:MultiFactorAuthPresent=true']);
    expect(c.summary.startsWith(`aws iam-role acme-prod-gateway: Allow resources: * → ${AUDIT}; Allow condition added`)).toBe(true);
  });

  test('trust changes name who may assume the role now (a role stays within its account root)', () => {
    expect(change(trust([OPS]), trust([ROOT])).details).toEqual([`may now be assumed by ${ROOT}`]);
    expect(change(trust([ROOT]), trust([OPS])).details).toEqual([`no longer assumable by ${ROOT}`]);
  });

  test('a condition whose value changes reads as changed, not added and removed', () => {
    const c = change(trust([OPS], [cond('DateLessThan', 'aws:CurrentTime', '2027-07-01T00:00:00Z')]), trust([OPS], [cond('DateLessThan', 'aws:CurrentTime', '2027-10-01T00:00:00Z')]));
    expect([c.kind, c.details]).toEqual(['broadening', ['trust condition changed: DateLessThan aws:CurrentTime: 2027-07-01T00:00:00Z → 2027-10-01T00:00:00Z']]);
  });

  test('a new grant says who gains what', () => {
    const c = change(undefined, grant({ level: 'edit' }));
    expect(c.summary).toBe('new access: kubernetes group oidc:acme-contractors: edit on acme-prod-team-research, until 2026-12-31T00:00:00Z');
  });
});
