import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './nag-acknowledgements';
import { WorkloadIdentity } from './workload-identity';

/** Props of {@link LoadBalancerControllerIdentity}. */
export interface LoadBalancerControllerIdentityProps {
  /** IAM role name (`BoundaryNames.workloadRole('aws-load-balancer-controller')`). */
  readonly roleName: string;
  /** EKS cluster name: the controller tags what it creates `elbv2.k8s.aws/cluster=<name>`, and this role may only touch those. */
  readonly clusterName: string;
  /** ID of the cluster's VPC: security groups are created and changed only there. */
  readonly vpcId: string;
  /**
   * ARNs of the WAFv2 web ACLs the controller may associate with its load balancers.
   * @default - none: the controller cannot associate any web ACL
   */
  readonly webAclArns?: readonly string[];
  /**
   * Namespace of the controller's service account.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * The controller's service account.
   * @default 'aws-load-balancer-controller'
   */
  readonly serviceAccount?: string;
}

/** Tag the AWS Load Balancer Controller puts on every resource it creates, with the cluster name as value. */
export const LBC_CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * The Pod Identity role of the AWS Load Balancer Controller, narrower than the upstream `iam_policy.json`
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/#configure-iam):
 * - it may create load balancers, target groups and security groups only when it tags them with THIS cluster's name,
 *   and modify or delete only those so tagged (upstream accepts any cluster's tag);
 * - security-group rules change only on its own groups and on the cluster security group (the node group EKS tags
 *   `kubernetes.io/cluster/<name>=owned`, where it adds backend rules) — never on the boundary's zone groups;
 * - listeners are created only on its own load balancers; no unconditional tagging;
 * - no Shield, Cognito, classic WAF or IAM server certificates;
 * - WAFv2 association only of the named web ACLs.
 * Describe calls, which support no resource-level permissions, stay on `*`.
 */
export class LoadBalancerControllerIdentity extends Construct {
  /** The role and its association. */
  readonly identity: WorkloadIdentity;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerIdentityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const arn = (service: string, resource: string) => `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:${resource}`;
    const vpcArn = arn('ec2', `vpc/${props.vpcId}`);
    const ours = { StringEquals: { [`aws:ResourceTag/${LBC_CLUSTER_TAG}`]: props.clusterName } };
    const tagsOnCreate = { StringEquals: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: props.clusterName } };
    const loadBalancers = [arn('elasticloadbalancing', 'loadbalancer/app/*/*'), arn('elasticloadbalancing', 'loadbalancer/net/*/*')];
    const targetGroups = arn('elasticloadbalancing', 'targetgroup/*/*');
    const listeners = ['listener', 'listener-rule'].flatMap((kind) => ['app', 'net'].map((t) => arn('elasticloadbalancing', `${kind}/${t}/*/*/*`)));
    const securityGroups = arn('ec2', 'security-group/*');

    this.identity = new WorkloadIdentity(this, 'Identity', {
      roleName: props.roleName,
      clusterName: props.clusterName,
      namespace: props.namespace ?? 'kube-system',
      serviceAccount: props.serviceAccount ?? 'aws-load-balancer-controller',
      description: `AWS Load Balancer Controller of ${props.clusterName}: load balancers tagged for this cluster only`,
    });
    const statements = [
      new iam.PolicyStatement({ sid: 'ServiceLinkedRole', actions: ['iam:CreateServiceLinkedRole'], resources: ['*'],
        conditions: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } } }),
      new iam.PolicyStatement({ sid: 'Describe', resources: ['*'], actions: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags', 'ec2:DescribeRouteTables', 'ec2:GetSecurityGroupsForVpc',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerAttributes', 'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores',
        'acm:ListCertificates', 'acm:DescribeCertificate', 'wafv2:ListWebACLs', 'wafv2:GetWebACLForResource',
      ] }),
      new iam.PolicyStatement({ sid: 'SecurityGroupsInVpc', actions: ['ec2:CreateSecurityGroup'], resources: [vpcArn] }),
      new iam.PolicyStatement({ sid: 'CreateOwnSecurityGroups', actions: ['ec2:CreateSecurityGroup'], resources: [securityGroups], conditions: tagsOnCreate }),
      new iam.PolicyStatement({ sid: 'TagOwnSecurityGroupsOnCreate', actions: ['ec2:CreateTags'], resources: [securityGroups],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', ...tagsOnCreate.StringEquals } } }),
      new iam.PolicyStatement({ sid: 'ManageOwnSecurityGroups', resources: [securityGroups], conditions: ours,
        actions: ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DeleteSecurityGroup'] }),
      // Rules on its own groups and, for backend rules, on the node security groups: in this VPC only.
      // Rules on its own groups, and the backend rules on the node group it picks: the one EKS tags
      // `kubernetes.io/cluster/<name>=owned` (the cluster security group). Never the boundary's zone groups.
      new iam.PolicyStatement({ sid: 'OwnSecurityGroupRules', resources: [securityGroups], conditions: { ...ours, ArnEquals: { 'ec2:Vpc': vpcArn } },
        actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'] }),
      new iam.PolicyStatement({ sid: 'BackendRulesOnClusterSecurityGroup', resources: [securityGroups],
        conditions: { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${props.clusterName}`]: 'owned' }, ArnEquals: { 'ec2:Vpc': vpcArn } },
        actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'] }),
      new iam.PolicyStatement({ sid: 'CreateOwnLoadBalancers', resources: [...loadBalancers, targetGroups], conditions: tagsOnCreate,
        actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'] }),
      new iam.PolicyStatement({ sid: 'TagOwnLoadBalancersOnCreate', actions: ['elasticloadbalancing:AddTags'], resources: [...loadBalancers, targetGroups],
        conditions: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'], ...tagsOnCreate.StringEquals } } }),
      new iam.PolicyStatement({ sid: 'ManageOwnLoadBalancers', resources: [...loadBalancers, targetGroups], conditions: ours, actions: [
        'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyCapacityReservation',
      ] }),
      new iam.PolicyStatement({ sid: 'OwnTargets', resources: [targetGroups], conditions: ours,
        actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'] }),
      // Listeners only on its own load balancers; tags on listeners and rules only as they are created (AddTags on a
      // load balancer is never unconditional: that would let it claim another team's load balancer).
      new iam.PolicyStatement({ sid: 'ListenersOnOwnLoadBalancers', resources: loadBalancers, conditions: ours, actions: ['elasticloadbalancing:CreateListener'] }),
      new iam.PolicyStatement({ sid: 'TagListenersOnCreate', resources: listeners, actions: ['elasticloadbalancing:AddTags'],
        conditions: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateListener', 'CreateRule'] } } }),
      new iam.PolicyStatement({ sid: 'Listeners', resources: listeners, actions: [
        'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates',
      ] }),
      ...(props.webAclArns && props.webAclArns.length > 0 ? [
        new iam.PolicyStatement({ sid: 'WebAcl', actions: ['wafv2:GetWebACL', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL'],
          resources: [...props.webAclArns, loadBalancers[0]] }),
        new iam.PolicyStatement({ sid: 'WebAclOnLoadBalancers', actions: ['elasticloadbalancing:SetWebAcl'], resources: [loadBalancers[0]], conditions: ours }),
      ] : []),
    ];
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      roles: [this.identity.role], statements, description: `AWS Load Balancer Controller of ${props.clusterName}`,
    });
    acknowledgeWildcardResources(policy,
      'EC2/ELB Describe, ACM list and wafv2:ListWebACLs support no resource-level permissions; every create, change and delete is held '
      + `to resources tagged ${LBC_CLUSTER_TAG}=${props.clusterName} (or to this account and Region's load balancers for listeners and rules, `
      + 'whose ids do not exist before creation), and security-group rules to its own groups and the cluster security group.');
  }
}
