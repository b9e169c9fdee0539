import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { ANNOTATION } from '../plan/names';
import type { SecretPlan, SecretsPlan } from '../plan/secrets-plan';
import { objectMeta } from './labels';

/** API version of the External Secrets Operator resources we emit (ESO ≥ 0.17 serves `v1`). */
export const ESO_API_VERSION = 'external-secrets.io/v1';

/**
 * ServiceAccount annotation naming the IAM role of its web identity (IRSA); ESO's AWS provider reads it for
 * `auth.jwt` (https://external-secrets.io/latest/provider/aws-secrets-manager/#eks-service-account-credentials).
 */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** Props of {@link BoundarySecrets}. */
export interface BoundarySecretsProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
}

/** A `secretStoreRef` of an ExternalSecret. */
export interface StoreRef {
  /** `SecretStore` (namespaced, ours) or `ClusterSecretStore` (existing, the customer's). */
  readonly kind: SecretsPlan['storeKind'];
  /** Name of the store. */
  readonly name: string;
}

/**
 * Every secret the boundary's workloads read, synced by the External Secrets Operator from the customer's store.
 * No `Secret` object is ever written with data: ESO creates and owns them from `ExternalSecret`s, so secret values
 * never appear in a manifest, a repository or a CloudFormation/Pulumi state file.
 */
export class BoundarySecrets extends Construct {
  constructor(scope: Construct, id: string, props: BoundarySecretsProps) {
    super(scope, id);
    const { plan } = props;
    const secrets = plan.secrets;
    if (secrets.storeKind === 'SecretStore') {
      for (const namespace of secrets.storeNamespaces) this.addSecretStore(plan, namespace);
    }
    const storeRef: StoreRef = { kind: secrets.storeKind, name: secrets.storeName };
    for (const secret of secrets.secrets) this.addExternalSecret(plan, secret, storeRef);
  }

  /** One namespaced SecretStore and the ServiceAccount it authenticates as. */
  private addSecretStore(plan: BoundaryPlan, namespace: string): void {
    const { readerServiceAccount, readerRoleArn } = plan.secrets;
    if (readerServiceAccount === undefined) throw new Error(`BoundarySecrets: ${plan.name}: a SecretStore without a reader ServiceAccount`);
    // ESO requests a short-lived token for this ServiceAccount (TokenRequest API) to authenticate the store;
    // no pod runs as it, so nothing mounts a token. On AWS the annotation names the role ESO assumes with that
    // token (AssumeRoleWithWebIdentity); the role trusts only this boundary's reader subjects (plan.secrets.readerSubjects).
    new kplus.ServiceAccount(this, `secrets-reader-${namespace}`, {
      metadata: {
        ...objectMeta(plan, readerServiceAccount, namespace),
        ...(readerRoleArn !== undefined ? { annotations: { [IRSA_ROLE_ANNOTATION]: readerRoleArn } } : {}),
      },
      automountToken: false,
    });
    new ApiObject(this, `store-${namespace}`, {
      apiVersion: ESO_API_VERSION,
      kind: 'SecretStore',
      metadata: objectMeta(plan, plan.secrets.storeName, namespace),
      spec: { provider: provider(plan) },
    });
  }

  /** The ExternalSecret that creates (and owns) one Kubernetes Secret. */
  private addExternalSecret(plan: BoundaryPlan, secret: SecretPlan, storeRef: StoreRef): void {
    const annotations = { [ANNOTATION.purpose]: secret.purpose, [ANNOTATION.owner]: secret.owner };
    const { data, rendered } = externalSecretData(plan, secret);
    new ApiObject(this, `external-secret-${secret.namespace}-${secret.name}`, {
      apiVersion: ESO_API_VERSION,
      kind: 'ExternalSecret',
      metadata: { ...objectMeta(plan, secret.name, secret.namespace), annotations },
      spec: {
        refreshInterval: plan.secrets.refreshInterval,
        secretStoreRef: { kind: storeRef.kind, name: storeRef.name },
        target: {
          name: secret.name,
          // Owner: ESO creates the Secret with an ownerReference, so it goes away with its ExternalSecret.
          // Retain: if the remote secret is deleted, the Kubernetes Secret is kept (readers keep running)
          // rather than emptied; rotation replaces values in place.
          creationPolicy: 'Owner',
          deletionPolicy: 'Retain',
          template: { type: 'Opaque', metadata: { labels: { ...plan.commonLabels }, annotations }, ...rendered },
        },
        data,
      },
    });
  }
}

/** The store's provider block, from the plan; throws only on states validation rules out. */
function provider(plan: BoundaryPlan): Record<string, unknown> {
  const store = plan.secrets.store;
  switch (store) {
    case 'aws-secrets-manager': {
      // Web identity of the store's own ServiceAccount, never the ESO controller's identity plus `role`: any
      // namespace's SecretStore naming that role would otherwise read this boundary's secrets. ESO takes the role
      // from the ServiceAccount's annotation; no `role` here (it would chain a second AssumeRole).
      const serviceAccount = plan.secrets.readerServiceAccount;
      if (!plan.spec.aws || !serviceAccount || !plan.secrets.readerRoleArn) {
        throw new Error(`BoundarySecrets: ${plan.name}: aws-secrets-manager store without spec.aws`);
      }
      return { aws: { service: 'SecretsManager', region: plan.spec.aws.region, auth: { jwt: { serviceAccountRef: { name: serviceAccount } } } } };
    }
    case 'vault': {
      const vault = plan.spec.secrets.vault;
      const serviceAccount = plan.secrets.readerServiceAccount;
      if (!vault || !serviceAccount) throw new Error(`BoundarySecrets: ${plan.name}: vault store without vault settings`);
      return {
        vault: {
          server: vault.server,
          path: vault.path,
          version: 'v2',
          auth: { kubernetes: { mountPath: vault.authMountPath, role: vault.role, serviceAccountRef: { name: serviceAccount } } },
        },
      };
    }
    case 'existing-cluster-store':
      throw new Error(`BoundarySecrets: ${plan.name}: an existing ClusterSecretStore gets no SecretStore`);
    default: {
      const never: never = store;
      throw new Error(`BoundarySecrets: unknown store ${JSON.stringify(never)}`);
    }
  }
}

/**
 * `spec.data` of a secret's ExternalSecret and, for a templated secret, the template fields that render its keys.
 * A copied key fetches its property straight into the key. A template's inputs are fetched into variables named after
 * their property; with `template.data` set, ESO writes only the rendered keys to the Secret (`mergePolicy: Replace`),
 * so the inputs never become keys of their own (https://external-secrets.io/latest/guides/templating/).
 */
function externalSecretData(plan: BoundaryPlan, secret: SecretPlan): { data: Record<string, unknown>[]; rendered: Record<string, unknown> } {
  const remoteRef = (property: string, remoteKey?: string) => ({ key: remoteKey ?? secret.remoteKey, property });
  const template = secret.template;
  if (!template) {
    return {
      data: secret.keys.map((k) => {
        if (k.property === undefined) throw new Error(`BoundarySecrets: ${plan.name}: ${secret.id}: key ${k.secretKey} has neither a property nor a template`);
        return { secretKey: k.secretKey, remoteRef: remoteRef(k.property, k.remoteKey) };
      }),
      rendered: {},
    };
  }
  // Under Replace only template.data reaches the Secret: every key of a templated secret must be rendered.
  const keys = secret.keys.map((k) => k.secretKey).sort();
  if (secret.keys.some((k) => k.property !== undefined) || keys.join() !== Object.keys(template.data).sort().join()) {
    throw new Error(`BoundarySecrets: ${plan.name}: ${secret.id}: keys ${keys.join(', ')} are not exactly the template's`);
  }
  return {
    data: template.inputs.map((i) => ({ secretKey: i.property, remoteRef: remoteRef(i.property, i.remoteKey) })),
    rendered: { engineVersion: 'v2', mergePolicy: 'Replace', data: { ...template.data } },
  };
}
