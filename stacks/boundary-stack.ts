import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PrivateAiBoundary } from '../lib/aws/private-ai-boundary';
import type { BoundaryPlan } from '../lib/plan/boundary-plan';
import { LABEL, TEMPLATE_RECORD } from '../lib/plan/names';

/** Props of {@link BoundaryStack}. */
export interface BoundaryStackProps extends StackProps {
  /** The plan of a boundary with an `aws` section. */
  readonly plan: BoundaryPlan;
}

/** One stack per boundary, in the boundary's account and region, named `<boundary>-boundary`. */
export class BoundaryStack extends Stack {
  /** The boundary's AWS layer. */
  public readonly boundary: PrivateAiBoundary;

  constructor(scope: Construct, id: string, props: BoundaryStackProps) {
    const { plan } = props;
    const aws = plan.spec.aws;
    if (!aws) throw new Error(`internal: boundary ${plan.name} has no aws section`);
    super(scope, id, {
      stackName: `${plan.name}-boundary`,
      description: `Private AI boundary ${plan.name} for ${plan.spec.customer} (private-ai-boundary)`,
      terminationProtection: true,
      analyticsReporting: false,
      ...props,
      env: { account: aws.account, region: aws.region },
    });
    Tags.of(this).add(LABEL.boundary, plan.name);
    Tags.of(this).add(TEMPLATE_RECORD.ownerTag, plan.spec.owner);
    this.boundary = new PrivateAiBoundary(this, 'Boundary', { plan });
  }
}
