import type { Proof } from './change';

/**
 * IAM principals as a lattice: `*` (anyone) ⊃ an account (`arn:aws:iam::<acct>:root` or the bare 12-digit id: any
 * principal of that account the account allows) ⊃ a role, user or assumed-role session of that account. Service
 * principals (`eks.amazonaws.com`), federated providers (OIDC/SAML) and any other name (a Kubernetes
 * `namespace/service-account`) are atoms: each contains only itself. Distinct atoms are disjoint.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
type Principal =
  | { readonly t: 'anyone' }
  | { readonly t: 'account'; readonly account: string }
  | { readonly t: 'member'; readonly account: string; readonly arn: string }
  | { readonly t: 'atom'; readonly name: string };

/** Reads a principal as the posture writes it (an optional `AWS:`/`Service:`/`Federated:` prefix is ignored). */
function parse(raw: string): Principal {
  const text = raw.trim().replace(/^(AWS|Service|Federated|CanonicalUser):/, '');
  if (text === '*') return { t: 'anyone' };
  if (/^\d{12}$/.test(text)) return { t: 'account', account: text };
  const arn = /^arn:[^:]+:(iam|sts)::(\d{12}):(.+)$/.exec(text);
  if (arn) {
    if (arn[1] === 'iam' && arn[3] === 'root') return { t: 'account', account: arn[2] };
    if (/^(oidc-provider|saml-provider)\//.test(arn[3])) return { t: 'atom', name: text };
    return { t: 'member', account: arn[2], arn: text };
  }
  return { t: 'atom', name: text };
}

/** Whether every identity `inner` names is among those `outer` names. */
export function principalContains(outer: string, inner: string): 'yes' | 'no' {
  const [o, i] = [parse(outer), parse(inner)];
  if (o.t === 'anyone') return 'yes';
  if (i.t === 'anyone') return 'no';
  if (o.t === 'account') return (i.t === 'account' || i.t === 'member') && i.account === o.account ? 'yes' : 'no';
  if (o.t === 'member') return i.t === 'member' && i.arn === o.arn ? 'yes' : 'no';
  return i.t === 'atom' && i.name === o.name ? 'yes' : 'no';
}

/** Principals of `inner` not within any of `outers` (exact: no union of narrower principals adds up to a wider one). */
export function principalsNotIn(inner: readonly string[], outers: readonly string[]): string[] {
  return inner.filter((p) => !outers.some((o) => principalContains(o, p) === 'yes'));
}

/** Whether the set `inner` names is within the set `outers` names. */
export function principalsWithin(inner: readonly string[], outers: readonly string[]): Proof {
  return principalsNotIn(inner, outers).length === 0 ? 'yes' : 'no';
}
