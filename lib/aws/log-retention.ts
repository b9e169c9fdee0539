import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * Retention periods CloudWatch Logs accepts, in days (`PutRetentionPolicy` `retentionInDays`; the CloudFormation
 * schema of `AWS::Logs::LogGroup.RetentionInDays` holds the same list):
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * The smallest CloudWatch Logs retention that keeps logs at least `days` days: an audit policy of 400 days maps to
 * 400, one of 100 days to 120. Beyond the longest period (3653 days) logs never expire (`INFINITE`).
 */
export function logRetentionAtLeast(days: number): logs.RetentionDays {
  if (!Number.isFinite(days) || days < 1) throw new Error(`logRetentionAtLeast: ${days} is not a positive number of days`);
  const fit = CLOUDWATCH_RETENTION_DAYS.find((d) => d >= days);
  return (fit ?? logs.RetentionDays.INFINITE) as logs.RetentionDays;
}
