/**
 * Security-relevant constants every target applies the same way. They live in the plan, not in a renderer, so a
 * renderer only maps them onto its objects (STYLE.md: "a renderer never invents a security-relevant value").
 */

/**
 * Non-root uid/gid every boundary workload runs as (Pod Security "restricted" requires `runAsNonRoot` and a
 * non-zero uid: https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted). Above the range
 * distributions give to system and login users, so it matches no account baked into an image.
 */
export const NON_ROOT_UID = 10001;

/**
 * TLS policy of every AWS load balancer in front of the gateway: TLS 1.3 and 1.2 only, forward-secret ciphers.
 * Valid both as the NLB `aws-load-balancer-ssl-negotiation-policy` and as the ALB `ssl-policy`
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 */
export const AWS_LB_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
