import { createHash } from 'node:crypto';

/**
 * IAM principal ARNs of time-bound grants, and the Kubernetes identities derived from them. The derivation lives
 * here, next to the rule that refuses collisions (PAB-ACC-003), so the rule checks exactly what the plan uses
 * (`BoundaryNames.grantGroup` / `grantBinding` delegate to these functions).
 */

/** The parts of an IAM role or user ARN. */
export interface PrincipalArn {
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  readonly partition: string;
  /** 12-digit account id. */
  readonly account: string;
  /** Role or user. */
  readonly kind: 'role' | 'user';
  /** Path and name after `role/` or `user/`, e.g. `ext/vendor-support`. */
  readonly pathAndName: string;
  /** The name alone (last path segment), e.g. `vendor-support`. */
  readonly name: string;
}

/** `arn:<partition>:iam::<account>:role|user/[path/]name` (IAM allows `\w+=,.@-` in names and paths). */
export const PRINCIPAL_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):(role|user)\/([\w+=,.@/-]{1,64})$/;

/** Parses an IAM role or user ARN, or undefined when it is not one. */
export function parsePrincipalArn(arn: string): PrincipalArn | undefined {
  const m = PRINCIPAL_ARN.exec(arn);
  if (!m) return undefined;
  const pathAndName = m[4];
  return { partition: m[1], account: m[2], kind: m[3] as 'role' | 'user', pathAndName, name: pathAndName.slice(pathAndName.lastIndexOf('/') + 1) };
}

/**
 * Kubernetes group a grant's principal is mapped to (EKS access entry `kubernetesGroups`):
 * `pab:grant:<account>:<role|user>:<path+name>`. Account, kind and path are all in it: two roles named alike in
 * different accounts or paths must never share a group (they would share each other's privileges).
 */
export function grantGroupOf(arn: string): string {
  const p = mustParse(arn);
  return `pab:grant:${p.account}:${p.kind}:${p.pathAndName}`;
}

/** Characters of the name kept in a binding name: `grant-` + name + `-` + 8 hex digits stays within 63. */
const BINDING_NAME_MAX = 63 - 'grant-'.length - 1 - 8;

/**
 * RoleBinding name of a grant: `grant-<name>-<first 8 hex digits of sha256(arn)>`, a DNS label of at most 63
 * characters. The name keeps it readable; the hash of the full ARN keeps two principals with the same name apart.
 */
export function grantBindingNameOf(arn: string): string {
  const p = mustParse(arn);
  const hash = createHash('sha256').update(arn).digest('hex').slice(0, 8);
  const readable = p.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, BINDING_NAME_MAX).replace(/^-+|-+$/g, '');
  return `grant-${readable || 'principal'}-${hash}`;
}

function mustParse(arn: string): PrincipalArn {
  const p = parsePrincipalArn(arn);
  if (!p) throw new Error(`internal: ${JSON.stringify(arn)} is not an IAM role or user ARN; validation should have refused it`);
  return p;
}
