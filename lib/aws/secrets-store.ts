import { DefaultStackSynthesizer, Fn, Lazy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { RemoteSecretPlan } from '../plan/secrets-plan';
import { TEMPLATE_RECORD } from '../plan/names';

/** One secret of a {@link SecretsStore}. */
export interface StoredSecretProps {
  /** Name of the secret: the remote key the Kubernetes target reads, e.g. `pab/acme-prod/gateway/master-key`. */
  readonly name: string;
  /** Properties of its JSON value that readers use, e.g. `['value']`. */
  readonly properties: readonly string[];
  /**
   * Generate the value at creation (exactly one property); otherwise the secret is created empty and its owner sets
   * the value (`PutSecretValue`) — readers fail until then rather than run with a placeholder.
   */
  readonly generate: boolean;
  /** What the secret is for (its description). */
  readonly description: string;
  /** Who sets the value: `generated`, or the e-mail of the owner who sets and rotates it. */
  readonly owner: string;
}

/**
 * The stored secrets for remote secrets of a plan (`remoteSecretsOf(plan.secrets)`, minus those another construct
 * creates, such as the gateway state's credentials): generated when every reader's owner is `generated`, else left
 * for the owner(s) to set.
 */
export function storedSecretsOf(remote: readonly RemoteSecretPlan[]): StoredSecretProps[] {
  return remote.map((r) => ({
    name: r.remoteKey,
    properties: r.properties,
    generate: r.owners.every((o) => o === 'generated'),
    description: r.purposes.join('; '),
    owner: r.owners.join(', '),
  }));
}

/** Properties of a {@link SecretsStore}. */
export interface SecretsStoreProps {
  /** The secrets, one per distinct name. */
  readonly secrets: readonly StoredSecretProps[];
  /** The boundary key every secret value is encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** IAM roles that may read the values (`secretsmanager:GetSecretValue`), e.g. the External Secrets reader role. */
  readonly readerRoleArns: readonly string[];
  /**
   * Other principals (ARNs; `*` wildcards as in `aws:PrincipalArn`) that may read values, e.g. a break-glass role.
   * Nobody else can, whatever their IAM policies say; administrators keep every other action (set values, rotate,
   * delete, and change the resource policy), so no one is locked out.
   * @default - the stack's CloudFormation execution role when the stack uses the default synthesizer (it resolves
   * dynamic references at deploy time), else none
   */
  readonly administratorArns?: readonly string[];
  /** Maximum age of a value in days: the rotation period. */
  readonly rotationDays: number;
  /** Who rotates the generated values when no rotation function is given (the boundary owner's e-mail). */
  readonly rotationOwner: string;
  /**
   * ARN of a Lambda rotation function for the generated secrets; secrets whose owner sets the value are never
   * rotated by a function.
   * @default - no rotation schedule: the owner rotates every `rotationDays` days (recorded in each secret's metadata)
   */
  readonly rotationLambdaArn?: string;
  /**
   * Role of the rotation function, which must read the secrets it rotates; required with `rotationLambdaArn`.
   * @default - none (no rotation function)
   */
  readonly rotationLambdaRoleArn?: string;
}

/** How a secret's value is kept younger than its rotation period — what the template backs, nothing more. */
export type SecretRotation =
  /** A rotation schedule invokes the function every `everyDays` days. */
  | { readonly mode: 'function'; readonly everyDays: number; readonly lambdaArn: string }
  /** No schedule: `by` (an e-mail) rotates the value by hand every `everyDays` days. */
  | { readonly mode: 'owner'; readonly everyDays: number; readonly by: string }
  /** Holds no credential (e.g. an endpoint written by CloudFormation): nothing to rotate. */
  | { readonly mode: 'not-a-credential' };

/** Where a secret's value comes from. */
export type SecretValueSource = 'generated' | 'set-by-owner' | 'resource-attributes';

/** CloudFormation metadata key on every secret: `{ value: SecretValueSource, rotation: SecretRotation }`. */
export const SECRET_METADATA_KEY = TEMPLATE_RECORD.secretMetadata;

/** Prefix of the tags written on every secret (the boundary's label domain). */
const TAG_PREFIX = 'private-ai-boundary.io';

const ROTATION_FINDINGS = ['AwsSolutions::AwsSolutions-SMG4', 'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled'];

/**
 * Records how `secret` is rotated where the evidence report and an operator find it — template metadata
 * (`PrivateAiBoundary::Secret`) and tags — and, when the template schedules no rotation, acknowledges the rotation
 * findings with the reason: `why` says who rotates it and why no function does.
 */
export function recordRotation(secret: secretsmanager.Secret, value: SecretValueSource, rotation: SecretRotation, why: string): void {
  (secret.node.defaultChild as secretsmanager.CfnSecret).addMetadata(SECRET_METADATA_KEY, { value, rotation });
  Tags.of(secret).add(`${TAG_PREFIX}/value`, value);
  Tags.of(secret).add(`${TAG_PREFIX}/rotation`, rotation.mode === 'not-a-credential' ? rotation.mode : `${rotation.mode}-every-${rotation.everyDays}d`);
  if (rotation.mode === 'owner') Tags.of(secret).add(`${TAG_PREFIX}/rotated-by`, rotation.by);
  if (rotation.mode === 'function') return;
  const reason = rotation.mode === 'owner'
    ? `No rotation schedule: ${why}; ${rotation.by} rotates it every ${rotation.everyDays} days (recorded as ${SECRET_METADATA_KEY} metadata, reported as customer-owned rotation).`
    : `Nothing to rotate: ${why}.`;
  for (const id of ROTATION_FINDINGS) Validations.of(secret).acknowledge({ id, reason });
}

/**
 * One Secrets Manager secret per remote key of the boundary, encrypted with the boundary key. No value is ever in the
 * template: a generated secret gets a random value from Secrets Manager (`GenerateSecretString`), an owner's secret is
 * created empty (no `SecretString`: CloudFormation then creates a secret without a version, see
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-secret.html). A resource
 * policy lets only the reader roles and the administrators read values. Rotation is scheduled only when a rotation
 * function is given; otherwise each secret records that its owner rotates it, and nothing claims more.
 */
export class SecretsStore extends Construct {
  private readonly secrets = new Map<string, secretsmanager.Secret>();
  private readonly rotations = new Map<string, SecretRotation>();
  private readonly readers: string[];
  private readonly encryptionKey: kms.IKey;
  private grants = 0;

  constructor(scope: Construct, id: string, props: SecretsStoreProps) {
    super(scope, id);
    if ((props.rotationLambdaArn === undefined) !== (props.rotationLambdaRoleArn === undefined)) {
      throw new Error(`SecretsStore ${this.node.path}: rotationLambdaArn and rotationLambdaRoleArn go together (the function's role reads what it rotates)`);
    }
    this.encryptionKey = props.encryptionKey;
    this.readers = [...props.readerRoleArns, ...(props.rotationLambdaRoleArn !== undefined ? [props.rotationLambdaRoleArn] : [])];
    const administrators = props.administratorArns ?? defaultAdministrators(this);
    for (const s of props.secrets) {
      if (this.secrets.has(s.name)) throw new Error(`SecretsStore ${this.node.path}: secret ${s.name} is listed twice`);
      if (s.generate && s.properties.length !== 1) {
        throw new Error(`SecretsStore ${this.node.path}: generated secret ${s.name} must have exactly one property, has ${JSON.stringify(s.properties)}`);
      }
      const secret = new secretsmanager.Secret(this, s.name, {
        secretName: s.name,
        description: s.description,
        encryptionKey: props.encryptionKey,
        // Letters and digits only: the value goes into headers, URLs and env vars without escaping.
        generateSecretString: s.generate
          ? { secretStringTemplate: '{}', generateStringKey: s.properties[0], passwordLength: 64, excludePunctuation: true, includeSpace: false }
          : undefined,
      });
      const cfn = secret.node.defaultChild as secretsmanager.CfnSecret;
      // The L2 generates a value when given none; an owner's secret stays empty until the owner sets it.
      if (!s.generate) cfn.addPropertyDeletionOverride('GenerateSecretString');
      restrictSecretValueReads(secret, () => [...this.readers, ...administrators]);

      const rotation: SecretRotation = s.generate && props.rotationLambdaArn !== undefined
        ? { mode: 'function', everyDays: props.rotationDays, lambdaArn: props.rotationLambdaArn }
        : { mode: 'owner', everyDays: props.rotationDays, by: s.generate ? props.rotationOwner : s.owner };
      if (rotation.mode === 'function') {
        new secretsmanager.CfnRotationSchedule(secret, 'Rotation', {
          secretId: secret.secretArn,
          rotationLambdaArn: rotation.lambdaArn,
          rotationRules: { automaticallyAfterDays: rotation.everyDays },
        });
      }
      recordRotation(secret, s.generate ? 'generated' : 'set-by-owner', rotation,
        s.generate ? 'no rotation function is configured for this store' : 'its owner sets the value, which no function can generate');
      this.secrets.set(s.name, secret);
      this.rotations.set(s.name, rotation);
    }
  }

  /** The secret named `name`; throws when the store has none. */
  secretFor(name: string): secretsmanager.ISecret {
    return this.lookup(this.secrets, name);
  }

  /** How the secret named `name` is rotated (what the template backs, nothing more). */
  rotationOf(name: string): SecretRotation {
    return this.lookup(this.rotations, name);
  }

  /** Names of every secret, in the order given. */
  get names(): string[] {
    return [...this.secrets.keys()];
  }

  /**
   * Lets `role` read every secret of the store: a customer-managed policy (no inline policy on the role) allowing
   * `GetSecretValue`/`DescribeSecret` on these secrets and `kms:Decrypt` with the key through Secrets Manager only, and
   * the role joins the readers the resource policies admit.
   */
  grantRead(role: iam.IRole): iam.ManagedPolicy {
    this.readers.push(role.roleArn);
    return secretsReadPolicy(this, `ReadPolicy${++this.grants}`, role, [...this.secrets.values()], this.encryptionKey);
  }

  private lookup<T>(map: Map<string, T>, name: string): T {
    const found = map.get(name);
    if (found === undefined) throw new Error(`SecretsStore ${this.node.path}: no secret ${name} (has ${[...map.keys()].join(', ')})`);
    return found;
  }
}

/**
 * Denies `secretsmanager:GetSecretValue` on `secret` to every principal whose ARN is not in `allowed()` (evaluated at
 * synthesis, so later grants count). Only reading values is denied: administrators keep every other action, including
 * changing this policy. `BlockPublicPolicy` is set, so nobody can later add a statement that opens the secret widely.
 */
export function restrictSecretValueReads(secret: secretsmanager.ISecret, allowed: () => readonly string[]): void {
  const { policyDependable } = secret.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'OnlyReadersAndAdministratorsReadValues',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['secretsmanager:GetSecretValue'],
    resources: ['*'],
    conditions: { StringNotLike: { 'aws:PrincipalArn': Lazy.list({ produce: () => [...allowed()] }) } },
  }));
  if (!(policyDependable instanceof secretsmanager.ResourcePolicy)) throw new Error(`${secret.node.path}: the secret takes no resource policy`);
  (policyDependable.node.defaultChild as secretsmanager.CfnResourcePolicy).blockPublicPolicy = true;
  secret.node.addValidation({ validate: () => (allowed().length === 0 ? ['no principal may read this secret: give reader roles or administrators'] : []) });
}

/** The CloudFormation execution role of the stack's default synthesizer, which resolves dynamic references. */
export function defaultAdministrators(scope: Construct): string[] {
  const synthesizer = Stack.of(scope).synthesizer;
  // The ARN holds `${AWS::Partition}` (and, in an environment-agnostic stack, account and region) placeholders.
  return synthesizer instanceof DefaultStackSynthesizer ? [Fn.sub(synthesizer.cloudFormationExecutionRoleArn)] : [];
}

/**
 * A customer-managed policy attached to `role` that reads `secrets`: `GetSecretValue`/`DescribeSecret` on exactly those
 * ARNs, and `kms:Decrypt` with `key` only when Secrets Manager calls it (`kms:ViaService`).
 */
export function secretsReadPolicy(scope: Construct, id: string, role: iam.IRole, secrets: readonly secretsmanager.ISecret[], key: kms.IKey): iam.ManagedPolicy {
  return new iam.ManagedPolicy(scope, id, {
    description: `Read the values of ${secrets.length} boundary secret(s)`,
    roles: [role],
    statements: [
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: secrets.map((s) => s.secretArn) }),
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'], resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
      }),
    ],
  });
}
