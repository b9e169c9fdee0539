import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { LABEL } from '../plan/names';

/** Props of {@link ExposurePolicy}. */
export interface ExposurePolicyProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
}

/**
 * "No network exposure unless declared", enforced by the API server rather than by convention: ValidatingAdmissionPolicies
 * (admissionregistration.k8s.io/v1, GA in Kubernetes 1.30) bound to every namespace of the boundary deny
 * - Services with `externalIPs` (CVE-2020-8554: any Service author could intercept traffic to an external IP),
 * - Services of type NodePort, LoadBalancer or ExternalName, except the gateway's internal load balancer when the plan has one,
 * - Ingresses, except the gateway's public Ingress when `ingress: public` is declared.
 * https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export class ExposurePolicy extends Construct {
  constructor(scope: Construct, id: string, props: ExposurePolicyProps) {
    super(scope, id);
    const { plan } = props;
    const gwNs = plan.gateway.namespace;
    const labels = { ...plan.commonLabels };
    const nlb = plan.gateway.internalLoadBalancer;
    const publicIngress = plan.gateway.publicIngress;
    const allowedLb = nlb
      ? ` || (object.spec.type == 'LoadBalancer' && object.metadata.namespace == '${gwNs}' && object.metadata.name == '${nlb.serviceName}')`
      : '';
    const allowedIngress = publicIngress
      ? `object.metadata.namespace == '${gwNs}' && object.metadata.name == '${publicIngress.ingressName}'`
      : 'false';

    this.policy('services', `${plan.name}-service-exposure`, labels, { apiGroups: [''], resources: ['services'] }, [
      {
        expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0',
        message: 'spec.externalIPs is not allowed in a private AI boundary (CVE-2020-8554)',
      },
      {
        expression: `!has(object.spec.type) || object.spec.type == 'ClusterIP'${allowedLb}`,
        message: 'only ClusterIP Services are allowed in a private AI boundary; exposure is declared in the boundary spec (spec.network)',
      },
    ]);
    this.policy('ingresses', `${plan.name}-ingress-exposure`, labels, { apiGroups: ['networking.k8s.io'], resources: ['ingresses'] }, [
      {
        expression: allowedIngress,
        message: 'Ingresses are not allowed in a private AI boundary; public ingress is declared in the boundary spec (spec.network.ingress)',
      },
    ]);
  }

  private policy(id: string, name: string, labels: Record<string, string>, resource: { apiGroups: string[]; resources: string[] },
    validations: { expression: string; message: string }[]): void {
    new ApiObject(this, `${id}-policy`, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [{ ...resource, apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'] }],
        },
        validations: validations.map((v) => ({ ...v, reason: 'Forbidden' })),
      },
    });
    new ApiObject(this, `${id}-binding`, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { [LABEL.boundary]: labels[LABEL.boundary] } } },
      },
    });
  }
}
