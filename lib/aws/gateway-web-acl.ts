import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { logRetentionAtLeast } from './log-retention';

/** Props of {@link GatewayWebAcl}. */
export interface GatewayWebAclProps {
  /**
   * Name of the web ACL (1–128 of `A-Za-z0-9_-`). The AWS Load Balancer Controller finds it by this name
   * (`alb.ingress.kubernetes.io/wafv2-acl-name`), so the Kubernetes manifests need no ARN.
   */
  readonly name: string;
  /** Customer-managed key of the WAF log group (its key policy must admit CloudWatch Logs, as `BoundaryKey` does). */
  readonly encryptionKey: kms.IKey;
  /** Days the WAF logs are kept (rounded up to a CloudWatch retention period). */
  readonly logRetentionDays: number;
  /**
   * Requests per client IP in any 5-minute window before the ACL blocks that IP: a pre-authentication flood guard in
   * front of the gateway's own per-key and per-team limits.
   * @default 2000
   */
  readonly rateLimitPerIp?: number;
  /**
   * Request headers WAF logs never contain (API keys travel in them).
   * @default ['authorization', 'x-api-key', 'api-key', 'x-litellm-api-key']
   */
  readonly redactedHeaders?: readonly string[];
}

/** Headers that carry the gateway's API keys (OpenAI style `Authorization: Bearer`, Azure style `api-key`, LiteLLM's own). */
export const API_KEY_HEADERS = ['authorization', 'x-api-key', 'api-key', 'x-litellm-api-key'] as const;

/**
 * AWS managed rule groups of the ACL, in priority order
 * (https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html).
 * `SizeRestrictions_BODY` of the core rule set blocks bodies over 8 KB: prompts are routinely larger, so that one
 * rule counts instead of blocking (the gateway bounds request size and tokens itself).
 */
export const MANAGED_RULE_GROUPS = [
  { name: 'AWSManagedRulesAmazonIpReputationList', countOnly: [] },
  { name: 'AWSManagedRulesCommonRuleSet', countOnly: ['SizeRestrictions_BODY'] },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', countOnly: [] },
] as const;

const NAME = /^[\w-]{1,128}$/;

/**
 * The regional WAFv2 web ACL in front of a public load balancer: AWS managed rule groups (IP reputation, core rule
 * set, known bad inputs), a per-IP rate-based rule, CloudWatch metrics and sampled requests on every rule, and full
 * logging to a KMS-encrypted log group `aws-waf-logs-<name>` whose entries never contain the API-key headers.
 * Default action: allow what no rule blocks. The load balancer is associated by the AWS Load Balancer Controller
 * (it creates the ALB), not here.
 */
export class GatewayWebAcl extends Construct {
  /** The web ACL. */
  readonly webAcl: wafv2.CfnWebACL;
  /** Its name. */
  readonly name: string;
  /** The log group WAF writes to. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GatewayWebAclProps) {
    super(scope, id);
    if (!NAME.test(props.name)) throw new Error(`GatewayWebAcl: name ${JSON.stringify(props.name)} must be 1-128 of A-Z a-z 0-9 _ -`);
    const limit = props.rateLimitPerIp ?? 2000;
    // WAF's bounds for a rate-based rule's limit: https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) throw new Error(`GatewayWebAcl: rateLimitPerIp must be an integer from 10 to 2000000000, got ${limit}`);
    this.name = props.name;
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName,
    });
    const managed: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((g, i) => ({
      name: g.name,
      priority: i,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: {
        vendorName: 'AWS', name: g.name,
        ...(g.countOnly.length > 0 ? { ruleActionOverrides: g.countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
      } },
      visibilityConfig: visibility(g.name),
    }));
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      description: 'Public entry of the private AI gateway: managed rule groups, per-IP rate limit',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules: [
        ...managed,
        {
          name: 'rate-limit-per-ip',
          priority: managed.length,
          action: { block: {} },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit, evaluationWindowSec: 300 } },
          visibilityConfig: visibility(`${props.name}-rate-limit-per-ip`),
        },
      ],
    });

    // WAF delivers to CloudWatch Logs only into groups named aws-waf-logs-* (https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html).
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${props.name}`,
      retention: logRetentionAtLeast(props.logRetentionDays),
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const redacted = props.redactedHeaders ?? API_KEY_HEADERS;
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // The log group's ARN without the `:*` suffix of its Arn attribute, which WAF refuses.
      logDestinationConfigs: [Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      redactedFields: redacted.map((name) => ({ singleHeader: { Name: name.toLowerCase() } })),
    });
  }
}
