import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './nag-acknowledgements';
import { WorkloadIdentity } from './workload-identity';

/** Props of {@link KarpenterController}. */
export interface KarpenterControllerProps {
  /** IAM role name (`BoundaryNames.workloadRole('karpenter')`). */
  readonly roleName: string;
  /** EKS cluster name; Karpenter tags what it launches `kubernetes.io/cluster/<name>=owned`, and may only touch those. */
  readonly clusterName: string;
  /** The node role Karpenter's EC2NodeClasses launch with (through its instance profile): the only role it may pass. */
  readonly nodeRoleArn: string;
  /** Name of the interruption queue (`BoundaryNames.karpenterQueue()`), given to Karpenter as `settings.interruptionQueue`. */
  readonly queueName: string;
  /**
   * Namespace of Karpenter's service account.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Karpenter's service account.
   * @default 'karpenter'
   */
  readonly serviceAccount?: string;
}

/**
 * EC2 and AWS Health events Karpenter handles (https://karpenter.sh/docs/concepts/disruption/#interruption): it cordons
 * and drains a node before a spot interruption, a rebalance recommendation, scheduled maintenance or a stop.
 */
export const INTERRUPTION_EVENTS = [
  { id: 'ScheduledChange', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'SpotInterruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'Rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'InstanceStateChange', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
] as const;

/**
 * Karpenter's AWS side for one cluster: its Pod Identity role and the interruption queue fed by EventBridge.
 *
 * The role follows Karpenter's own controller policy (https://karpenter.sh/docs/reference/cloudformation/), narrowed
 * for a boundary: it launches, tags and terminates only instances and launch templates tagged for this cluster and a
 * NodePool; it passes only the boundary's node role; it gets no IAM instance-profile actions (the EC2NodeClasses
 * name an existing instance profile — IAM has no VPC endpoint) and no pricing API (run Karpenter with
 * `settings.isolatedVPC=true`: the pricing API has no VPC endpoint either). Reads are held to this Region.
 */
export class KarpenterController extends Construct {
  /** The role and its association. */
  readonly identity: WorkloadIdentity;
  /** The interruption queue. */
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: KarpenterControllerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const arn = (service: string, resource: string, account: string = stack.account) => `arn:${stack.partition}:${service}:${stack.region}:${account}:${resource}`;
    const clusterTag = `kubernetes.io/cluster/${props.clusterName}`;

    // Messages are only useful within the two-minute interruption notice: a short retention, no dead-letter queue.
    // SSE-SQS rather than the boundary key: the messages are AWS event metadata (instance ids, times), no customer
    // data, and a customer-managed key would have to admit EventBridge in the boundary key's policy.
    this.queue = new sqs.Queue(this, 'InterruptionQueue', {
      queueName: props.queueName,
      retentionPeriod: Duration.minutes(5),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.queue).acknowledge({ id: 'AwsSolutions::AwsSolutions-SQS3', reason:
      'Interruption notices are worth acting on only within their two-minute warning; a message Karpenter cannot process is superseded by the next event, so a dead-letter queue would hold only stale notices.' });
    for (const e of INTERRUPTION_EVENTS) {
      new events.Rule(this, e.id, {
        description: `${e.detailType} → Karpenter of ${props.clusterName}`,
        eventPattern: { source: [e.source], detailType: [e.detailType] },
        targets: [new targets.SqsQueue(this.queue)],
      });
    }

    this.identity = new WorkloadIdentity(this, 'Identity', {
      roleName: props.roleName,
      clusterName: props.clusterName,
      namespace: props.namespace ?? 'kube-system',
      serviceAccount: props.serviceAccount ?? 'karpenter',
      description: `Karpenter of ${props.clusterName}: nodes tagged for this cluster only`,
    });
    const launched = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map((r) => arn('ec2', r));
    const owned = { StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } };
    const tagging = { StringEquals: { [`aws:RequestTag/${clusterTag}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': props.clusterName },
      StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } };
    const statements = [
      new iam.PolicyStatement({ sid: 'LaunchFromRegionalResources', actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [arn('ec2', 'image/*', ''), arn('ec2', 'snapshot/*', ''), arn('ec2', 'security-group/*'), arn('ec2', 'subnet/*'), arn('ec2', 'capacity-reservation/*')] }),
      new iam.PolicyStatement({ sid: 'LaunchFromOwnTemplates', actions: ['ec2:RunInstances', 'ec2:CreateFleet'], resources: [arn('ec2', 'launch-template/*')], conditions: owned }),
      new iam.PolicyStatement({ sid: 'LaunchTagged', actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'], resources: launched, conditions: tagging }),
      new iam.PolicyStatement({ sid: 'TagOnLaunch', actions: ['ec2:CreateTags'], resources: launched,
        conditions: { ...tagging, StringEquals: { ...tagging.StringEquals, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] } } }),
      new iam.PolicyStatement({ sid: 'TagOwnInstances', actions: ['ec2:CreateTags'], resources: [arn('ec2', 'instance/*')],
        conditions: { ...owned, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] } } }),
      new iam.PolicyStatement({ sid: 'TerminateOwn', actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        resources: [arn('ec2', 'instance/*'), arn('ec2', 'launch-template/*')], conditions: owned }),
      new iam.PolicyStatement({ sid: 'RegionalReads', resources: ['*'], conditions: { StringEquals: { 'aws:RequestedRegion': stack.region } }, actions: [
        'ec2:DescribeAvailabilityZones', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets', 'ec2:DescribeCapacityReservations',
      ] }),
      new iam.PolicyStatement({ sid: 'AmiParameters', actions: ['ssm:GetParameter'], resources: [arn('ssm', 'parameter/aws/service/*', '')] }),
      new iam.PolicyStatement({ sid: 'InterruptionQueue', actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], resources: [this.queue.queueArn] }),
      new iam.PolicyStatement({ sid: 'PassNodeRole', actions: ['iam:PassRole'], resources: [props.nodeRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }),
      new iam.PolicyStatement({ sid: 'ClusterEndpoint', actions: ['eks:DescribeCluster'], resources: [arn('eks', `cluster/${props.clusterName}`)] }),
    ];
    const policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this.identity.role], statements, description: `Karpenter of ${props.clusterName}` });
    acknowledgeWildcardResources(policy,
      `EC2 launches create resources whose ids do not exist yet: every launch, tag and termination is held to resources tagged ${clusterTag}=owned `
      + 'and a Karpenter NodePool; Describe calls support no resource-level permissions and are held to this Region; SSM reads only AWS\'s public AMI parameters.');
  }
}
