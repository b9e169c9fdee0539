import { Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PORTS } from '../plan/names';
import { logRetentionAtLeast } from './log-retention';
import { defaultAdministrators, recordRotation, restrictSecretValueReads, secretsReadPolicy } from './secrets-store';

/** The Valkey cache that shares rate-limit counters between gateway replicas. */
export interface SharedCountersProps {
  /** Name of the secret holding the AUTH token (property `password`), e.g. `pab/acme-prod/gateway/redis`. */
  readonly authSecretName: string;
  /** Name of the secret the cache's endpoint is published in (properties `host`, `port`), e.g. `pab/acme-prod/gateway/redis-endpoint`. */
  readonly endpointSecretName: string;
  /**
   * Node type of each cache node.
   * @default 'cache.t4g.small'
   */
  readonly nodeType?: string;
  /**
   * Valkey engine version (major.minor).
   * @default '8.0'
   */
  readonly engineVersion?: string;
}

/** Properties of a {@link GatewayState}. */
export interface GatewayStateProps {
  /** Identifier of the DB instance and the cache (lower case, ≤ 40 characters, as ElastiCache allows), e.g. `acme-prod-gateway`. */
  readonly identifier: string;
  /** VPC of the data subnets. */
  readonly vpc: ec2.IVpc;
  /** Subnets of the data zone, one per AZ (at least two AZs, as RDS subnet groups require): the database and the cache live only there. */
  readonly dataSubnets: readonly ec2.ISubnet[];
  /** Security group of the gateway: the only source admitted to PostgreSQL (5432) and Valkey (6379). */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  /** The boundary key: storage, backups, Performance Insights, logs and secrets. */
  readonly encryptionKey: kms.IKey;
  /** Name of the database credentials secret, e.g. `pab/acme-prod/gateway/database-credentials`. */
  readonly databaseSecretName: string;
  /** A standby in a second AZ (RDS Multi-AZ; a replica with automatic failover for the cache). */
  readonly multiAz: boolean;
  /** Days of automated backups (1–35); point-in-time restore covers the whole window. */
  readonly backupRetentionDays: number;
  /** Minimum days to keep the exported PostgreSQL logs; rounded up to a value CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  /** Maximum age of the database password and the cache AUTH token in days. */
  readonly rotationDays: number;
  /** Who rotates them by hand (no rotation Lambda runs in the boundary): the boundary owner's e-mail. */
  readonly rotationOwner: string;
  /** IAM roles that may read the secrets' values, e.g. the External Secrets reader role. */
  readonly readerRoleArns: readonly string[];
  /**
   * Other principals that may read the values (ARNs; `*` wildcards as in `aws:PrincipalArn`).
   * @default - the stack's CloudFormation execution role when the stack uses the default synthesizer (it resolves
   * the password and token dynamic references at deploy time), else none
   */
  readonly administratorArns?: readonly string[];
  /**
   * The Valkey cache for rate-limit counters shared by several gateway replicas.
   * @default - no cache (a single replica keeps its counters in memory)
   */
  readonly sharedCounters?: SharedCountersProps;
  /**
   * DB instance class.
   * @default db.t4g.small
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * PostgreSQL engine version; minor versions are applied by RDS in the maintenance window.
   * @default PostgreSQL 16 (major version pinned)
   */
  readonly engineVersion?: rds.PostgresEngineVersion;
  /**
   * Allocated storage in GiB (gp3).
   * @default 20
   */
  readonly storageGiB?: number;
  /**
   * Name of the database.
   * @default 'litellm'
   */
  readonly databaseName?: string;
  /**
   * Security group of the database and cache; the ingress rules from `clientSecurityGroup` are added to it.
   * @default - one is created, admitting only `clientSecurityGroup` and allowing no egress
   */
  readonly securityGroup?: ec2.ISecurityGroup;
}

/** Master user of the gateway database (LiteLLM's Prisma schema is created by this user). */
export const DATABASE_USER = 'litellm';

/**
 * The gateway's state: PostgreSQL (teams, keys, spend) and, for several replicas, a Valkey cache for shared
 * rate-limit counters. Both live in the data subnets, are encrypted with the boundary key, take connections only from
 * the gateway's security group, and keep their credentials in Secrets Manager under fixed names the Kubernetes target
 * reads: the RDS credentials secret holds `username`, `password`, `host`, `port`, `dbname` (the attachment adds the
 * endpoint), from which External Secrets renders `DATABASE_URL`.
 */
export class GatewayState extends Construct {
  /** The PostgreSQL instance. */
  readonly database: rds.DatabaseInstance;
  /** The credentials secret, attached to the instance (its value carries host and port once the instance exists). */
  readonly databaseSecret: secretsmanager.ISecret;
  /** Security group of the database and the cache. */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The Valkey replication group, when `sharedCounters` is set. */
  readonly cache?: elasticache.CfnReplicationGroup;
  /** Secret holding the cache AUTH token (`password`), when `sharedCounters` is set. */
  readonly cacheAuthSecret?: secretsmanager.ISecret;
  /** Secret holding the cache endpoint (`host`, `port`), when `sharedCounters` is set. */
  readonly cacheEndpointSecret?: secretsmanager.ISecret;

  private readonly readerArns: string[];
  private readonly encryptionKey: kms.IKey;
  private grants = 0;

  constructor(scope: Construct, id: string, props: GatewayStateProps) {
    super(scope, id);
    const { encryptionKey: key, identifier } = props;
    const problems = validate(props);
    if (problems.length > 0) throw new Error(`GatewayState ${this.node.path}: ${problems.join('; ')}`);
    this.readerArns = [...props.readerRoleArns];
    this.encryptionKey = key;
    const administrators = props.administratorArns ?? defaultAdministrators(this);
    const readers = () => [...this.readerArns, ...administrators];
    const sg = props.securityGroup ?? new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc, allowAllOutbound: false, description: `${identifier}: gateway state, reachable from the gateway only`,
    });
    this.securityGroup = sg;
    // Ingress here and the matching egress on the client's group (which allows no other outbound traffic).
    sg.connections.allowFrom(props.clientSecurityGroup, ec2.Port.tcp(PORTS.postgres), 'PostgreSQL from the gateway');

    // Created here rather than by Credentials.fromGeneratedSecret so that the value carries `dbname` too: the attachment
    // adds only the endpoint (engine, host, port, instance id), and DATABASE_URL needs all five.
    const dbSecret = new rds.DatabaseSecret(this, 'DatabaseCredentials', {
      username: DATABASE_USER, dbname: props.databaseName ?? 'litellm', secretName: props.databaseSecretName, encryptionKey: key,
    });
    (dbSecret.node.defaultChild as secretsmanager.CfnSecret).description = `${identifier}: PostgreSQL master credentials of the gateway (username, password, host, port, dbname)`;
    const ownerRotates = { mode: 'owner', everyDays: props.rotationDays, by: props.rotationOwner } as const;
    recordRotation(dbSecret, 'generated', ownerRotates, 'the boundary runs no rotation Lambda (RDS single-user rotation is one)');

    // RDS creates these on first write, unencrypted and kept forever; created here they use the key and a retention.
    const logTypes = ['postgresql', 'upgrade'];
    const logGroups = logTypes.map((type) => new logs.LogGroup(this, `Log-${type}`, {
      logGroupName: `/aws/rds/instance/${identifier}/${type}`,
      encryptionKey: key, retention: logRetentionAtLeast(props.logRetentionDays), removalPolicy: RemovalPolicy.RETAIN,
    }));
    const engine = rds.DatabaseInstanceEngine.postgres({ version: props.engineVersion ?? rds.PostgresEngineVersion.VER_16 });
    this.database = new rds.DatabaseInstance(this, 'Database', {
      instanceIdentifier: identifier,
      engine,
      instanceType: props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
      vpc: props.vpc,
      vpcSubnets: { subnets: [...props.dataSubnets] },
      securityGroups: [sg],
      port: PORTS.postgres,
      publiclyAccessible: false,
      credentials: rds.Credentials.fromSecret(dbSecret),
      databaseName: props.databaseName ?? 'litellm',
      // Clients must use TLS (the URL says sslmode=require); connections are logged.
      parameterGroup: new rds.ParameterGroup(this, 'Parameters', {
        engine, parameters: { 'rds.force_ssl': '1', log_connections: '1', log_disconnections: '1' },
      }),
      storageEncrypted: true,
      storageEncryptionKey: key,
      storageType: rds.StorageType.GP3,
      allocatedStorage: props.storageGiB ?? 20,
      multiAz: props.multiAz,
      backupRetention: Duration.days(props.backupRetentionDays),
      copyTagsToSnapshot: true,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      iamAuthentication: true,
      autoMinorVersionUpgrade: true,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      cloudwatchLogsExports: logTypes,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: key,
      monitoringInterval: Duration.seconds(60),
    });
    for (const group of logGroups) this.database.node.addDependency(group);
    this.databaseSecret = this.database.secret!;
    restrictSecretValueReads(dbSecret, readers);
    acknowledgeDatabase(this.database, props);

    if (props.sharedCounters) {
      const counters = props.sharedCounters;
      sg.connections.allowFrom(props.clientSecurityGroup, ec2.Port.tcp(PORTS.redis), 'Valkey from the gateway');
      const auth = new secretsmanager.Secret(this, 'CacheAuthToken', {
        secretName: counters.authSecretName, description: `${identifier}: Valkey AUTH token of the gateway's rate-limit counters`, encryptionKey: key,
        // AUTH tokens allow only some punctuation; letters and digits also need no escaping anywhere.
        generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'password', passwordLength: 64, excludePunctuation: true, includeSpace: false },
      });
      restrictSecretValueReads(auth, readers);
      recordRotation(auth, 'generated', ownerRotates, 'the boundary runs no rotation Lambda; a new token is applied with ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE, then SET)');
      const subnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
        description: `${identifier}: data subnets`, subnetIds: props.dataSubnets.map((s) => s.subnetId),
      });
      const cache = new elasticache.CfnReplicationGroup(this, 'Cache', {
        replicationGroupId: identifier,
        replicationGroupDescription: `${identifier}: rate-limit counters shared by the gateway replicas`,
        engine: 'valkey',
        engineVersion: counters.engineVersion ?? '8.0',
        cacheNodeType: counters.nodeType ?? 'cache.t4g.small',
        numCacheClusters: props.multiAz ? 2 : 1,
        automaticFailoverEnabled: props.multiAz,
        multiAzEnabled: props.multiAz,
        cacheSubnetGroupName: subnets.ref,
        securityGroupIds: [sg.securityGroupId],
        port: PORTS.redis,
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: true,
        kmsKeyId: key.keyArn,
        // A dynamic reference: CloudFormation resolves it at deploy time, the template never holds the token.
        authToken: auth.secretValueFromJson('password').unsafeUnwrap(),
        autoMinorVersionUpgrade: true,
        snapshotRetentionLimit: 0,
      });
      acknowledgeCache(cache, props.multiAz);
      // The endpoint exists only once the cache does, which needs the token first: a second secret, holding no credential.
      const endpoint = new secretsmanager.Secret(this, 'CacheEndpoint', {
        secretName: counters.endpointSecretName, description: `${identifier}: Valkey endpoint of the gateway's rate-limit counters`, encryptionKey: key,
        secretObjectValue: {
          host: SecretValue.resourceAttribute(cache.attrPrimaryEndPointAddress),
          port: SecretValue.resourceAttribute(cache.attrPrimaryEndPointPort),
        },
      });
      restrictSecretValueReads(endpoint, readers);
      recordRotation(endpoint, 'resource-attributes', { mode: 'not-a-credential' }, 'holds no credential, only the cache endpoint (host and port) CloudFormation writes from the replication group');
      this.cache = cache;
      this.cacheAuthSecret = auth;
      this.cacheEndpointSecret = endpoint;
    }
  }

  /** Every secret of the gateway state: database credentials and, with shared counters, the cache's AUTH token and endpoint. */
  get secrets(): secretsmanager.ISecret[] {
    return [this.databaseSecret, ...(this.cacheAuthSecret ? [this.cacheAuthSecret] : []), ...(this.cacheEndpointSecret ? [this.cacheEndpointSecret] : [])];
  }

  /**
   * Lets `role` read every secret of the gateway state (a customer-managed policy: values, and the key through Secrets
   * Manager only) and admits it in the secrets' resource policies.
   */
  grantRead(role: iam.IRole): iam.ManagedPolicy {
    this.readerArns.push(role.roleArn);
    return secretsReadPolicy(this, `ReadPolicy${++this.grants}`, role, this.secrets, this.encryptionKey);
  }
}

/** Problems with props that RDS or ElastiCache would only report at deploy time. */
function validate(props: GatewayStateProps): string[] {
  const problems: string[] = [];
  if (!/^[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]$/.test(props.identifier)) {
    problems.push(`identifier ${JSON.stringify(props.identifier)} must be 2–40 lower-case letters, digits and single hyphens, starting with a letter`);
  }
  const azs = new Set(props.dataSubnets.map((s) => s.availabilityZone));
  if (azs.size < 2) problems.push(`dataSubnets span ${azs.size} availability zone(s); a DB subnet group needs two`);
  if (!Number.isInteger(props.backupRetentionDays) || props.backupRetentionDays < 1 || props.backupRetentionDays > 35) {
    problems.push(`backupRetentionDays ${props.backupRetentionDays} must be 1–35 (RDS automated backups; 0 would turn them off)`);
  }
  return problems;
}

/** Findings on the database that do not apply, each with its reason. */
function acknowledgeDatabase(db: rds.DatabaseInstance, props: GatewayStateProps): void {
  const ack = (id: string, reason: string) => Validations.of(db).acknowledge({ id, reason });
  ack('AwsSolutions::AwsSolutions-RDS11', `Port ${PORTS.postgres} is the boundary plan's PostgreSQL port (NetworkPolicies and security groups name it); a non-default port hides nothing from a client that is already admitted, and only the gateway's security group is.`);
  ack('NIST.800.53.R5::NIST.800.53.R5-RDSInBackupPlan', `Backed up by RDS automated backups with point-in-time restore for ${props.backupRetentionDays} days (encrypted with the boundary key); an AWS Backup plan is the customer's account-level choice.`);
  if (!props.multiAz) {
    const reason = 'Single-AZ by the boundary spec: its recovery-time objective (resilience.rtoMinutes) allows restoring from backup instead of a standby.';
    ack('AwsSolutions::AwsSolutions-RDS3', reason);
    ack('NIST.800.53.R5::NIST.800.53.R5-RDSMultiAZSupport', reason);
  }
  // Enhanced monitoring's role: CDK attaches the AWS-managed service-role policy made for it.
  const role = db.node.tryFindChild('MonitoringRole');
  if (role) {
    Validations.of(role).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason: 'AmazonRDSEnhancedMonitoringRole is the AWS-managed policy for RDS enhanced monitoring: it only writes OS metrics to the RDSOSMetrics log group; only monitoring.rds.amazonaws.com assumes the role.' });
  }
}

/** Findings on the cache that do not apply, each with its reason. */
function acknowledgeCache(cache: elasticache.CfnReplicationGroup, multiAz: boolean): void {
  const ack = (id: string, reason: string) => Validations.of(cache).acknowledge({ id, reason });
  ack('NIST.800.53.R5::NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup', 'Holds only rate-limit counters (response caching is off): losing them resets the windows, there is nothing to restore.');
  if (!multiAz) ack('AwsSolutions::AwsSolutions-AEC4', 'Single-AZ by the boundary spec: its recovery-time objective allows recreating the counters cache, which holds nothing to restore.');
}
