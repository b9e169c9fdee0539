/**
 * The S3 bucket names the CloudFormation target derives for a boundary: `<name>-<purpose>-<account>-<region>`.
 * Defined here, beside the rule that checks they fit S3's 63 characters (lib/spec/rules/platform.ts), and used by
 * lib/plan/names.ts, so the name that is checked is the name that is created.
 */
export function derivedBucketName(boundary: string, purpose: 'audit' | 'logs', aws: { readonly account: string; readonly region: string }): string {
  return `${boundary}-${purpose}-${aws.account}-${aws.region}`;
}
