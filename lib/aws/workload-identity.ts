import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Service principal that assumes a Pod Identity role on a pod's behalf (the EKS Auth service). */
export const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';

/**
 * Session tags EKS Pod Identity attaches to every AssumeRole it makes
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html, "List of session tags added by EKS Pod Identity").
 */
export const POD_IDENTITY_TAG = {
  clusterArn: 'eks-cluster-arn',
  namespace: 'kubernetes-namespace',
  serviceAccount: 'kubernetes-service-account',
} as const;

/** Props of {@link WorkloadIdentity}. */
export interface WorkloadIdentityProps {
  /** IAM role name, e.g. `acme-prod-gateway` (`BoundaryNames.workloadRole`). */
  readonly roleName: string;
  /** Name of the EKS cluster the service account lives in; pass `cluster.clusterName` so the association waits for the cluster. */
  readonly clusterName: string;
  /** Kubernetes namespace of the service account. */
  readonly namespace: string;
  /** Kubernetes service account the pods run as. */
  readonly serviceAccount: string;
  /**
   * Description of the role.
   * @default - `EKS Pod Identity role of <namespace>/<serviceAccount>`
   */
  readonly description?: string;
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * The IAM role of ONE Kubernetes service account, delivered by EKS Pod Identity: the role, its trust policy and the
 * `AWS::EKS::PodIdentityAssociation` binding it to `<namespace>/<serviceAccount>` of the cluster.
 *
 * The trust policy lets `pods.eks.amazonaws.com` `sts:AssumeRole` + `sts:TagSession`
 * (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html) only when
 * - `aws:SourceAccount` is this stack's account (cross-service confused-deputy guard), and
 * - the session tags EKS Pod Identity sets name exactly this cluster ARN, namespace and service account
 *   (`aws:RequestTag/eks-cluster-arn|kubernetes-namespace|kubernetes-service-account`, the documented way to scope a
 *   Pod Identity role). `aws:SourceArn` is not used: EKS documents no value for it on Pod Identity (the one public
 *   report, awslabs/mountpoint-s3-csi-driver#781, matches an association ARN, not the cluster's), whereas the
 *   `eks-cluster-arn` session tag is documented to carry the cluster ARN.
 * A second association naming this role from another namespace, service account or cluster therefore gets no
 * credentials. The association keeps session tags on (`disableSessionTags: false`): the trust policy needs them.
 *
 * The role has no permissions of its own: callers grant them through the resource's construct
 * (`bucket.grantWrite(identity.role)`, `secret.grantRead(identity.role)`), never with wildcards here.
 */
export class WorkloadIdentity extends Construct {
  /** The role the pods of the service account receive. */
  readonly role: iam.IRole;
  /** The Pod Identity association. */
  readonly association: eks.CfnPodIdentityAssociation;
  /** ARN of the cluster the trust policy is scoped to. */
  readonly clusterArn: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    for (const [field, value] of [['namespace', props.namespace], ['serviceAccount', props.serviceAccount]] as const) {
      if (!Token.isUnresolved(value) && !K8S_NAME.test(value)) {
        throw new Error(`WorkloadIdentity ${this.node.path}: ${field} ${JSON.stringify(value)} is not a Kubernetes name`);
      }
    }
    const stack = Stack.of(this);
    this.clusterArn = stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: props.clusterName });
    const principal = new iam.ServicePrincipal(POD_IDENTITY_SERVICE, {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': stack.account,
          [`aws:RequestTag/${POD_IDENTITY_TAG.clusterArn}`]: this.clusterArn,
          [`aws:RequestTag/${POD_IDENTITY_TAG.namespace}`]: props.namespace,
          [`aws:RequestTag/${POD_IDENTITY_TAG.serviceAccount}`]: props.serviceAccount,
        },
      },
    }).withSessionTags();
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: props.description ?? `EKS Pod Identity role of ${props.namespace}/${props.serviceAccount}`,
      assumedBy: principal,
    });
    this.association = new eks.CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.roleArn,
      disableSessionTags: false,
    });
  }
}
