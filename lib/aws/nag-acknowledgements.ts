import { Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A resource of a policy statement as cdk-nag names it in a finding: intrinsic references become `<Ref>` or
 * `<LogicalId.Attribute>` inside the joined string, e.g. `arn:<AWS::Partition>:ec2:eu-central-1:1111:subnet/*`.
 */
function nagText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return `<${v.Ref}>`;
    if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    if (Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(nagText).join(sep);
    }
  }
  return JSON.stringify(value);
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for every wildcard resource of a managed policy, one prefixed id
 * per resource (`AwsSolutions::AwsSolutions-IAM5[Resource::<resource>]`), each with the same reason. Call it once
 * the policy's statements are final. Wildcard actions are never acknowledged here: none of this library's policies
 * use them.
 */
export function acknowledgeWildcardResources(policy: iam.ManagedPolicy, reason: string): void {
  const stack = Stack.of(policy);
  const doc = stack.resolve(policy.document.toJSON()) as { Statement?: { Resource?: unknown }[] } | undefined;
  const resources = new Set<string>();
  for (const st of doc?.Statement ?? []) {
    for (const r of [st.Resource ?? []].flat()) {
      const text = nagText(r);
      if (text.includes('*')) resources.add(text);
    }
  }
  for (const r of [...resources].sort()) {
    Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${r}]`, reason });
  }
}
