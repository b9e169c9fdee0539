import { DEFAULTS } from './defaults';
import type {
  AccessLevel, AwsPlacement, BoundaryManifest, ConsumerSpec, GpuProvisioner, ObjectLockMode, RateLimits,
  RedactionRule, PresidioSpec, SecretStoreKind, ZoneName,
} from './types';

/** A spec with every default applied: what the plan layer reads. Produced only by `resolveSpec`. */
export interface ResolvedSpec {
  readonly name: string;
  readonly customer: string;
  readonly owner: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly aws?: AwsPlacement;
  readonly availabilityZones: number;
  readonly network: {
    readonly cidr: string;
    readonly zoneMasks: Readonly<Record<ZoneName, number>>;
    readonly consumers: readonly ConsumerSpec[];
    readonly ingress: 'private' | 'public';
    readonly waf: boolean;
    readonly wafAclArn?: string;
    readonly tlsCertificateArn?: string;
    readonly publicIngressReason?: string;
  };
  readonly kubernetes: {
    readonly version: string;
    readonly oidc?: {
      readonly issuerUrl: string;
      readonly clientId: string;
      readonly groupsClaim: string;
      readonly groupsPrefix: string;
      readonly usernameClaim: string;
    };
    /** Prefix RBAC subjects carry for IdP groups ('' without OIDC). */
    readonly groupsPrefix: string;
  };
  readonly gpuNodePools: readonly {
    readonly name: string;
    readonly instanceTypes: readonly string[];
    readonly gpusPerNode: number;
    readonly minNodes: number;
    readonly maxNodes: number;
    readonly capacityType: 'on-demand' | 'spot';
    readonly provisioner: GpuProvisioner;
    readonly amiAlias?: string;
    readonly diskGiB: number;
  }[];
  readonly models: readonly {
    readonly name: string;
    readonly image: string;
    readonly weights: string;
    readonly nodePool: string;
    readonly gpus: number;
    readonly replicas: number;
    readonly maxModelLen?: number;
  }[];
  readonly gateway: {
    readonly engine: 'litellm';
    readonly image: string;
    readonly replicas: number;
    readonly rateLimits: RateLimits;
    readonly redaction: readonly RedactionRule[];
    readonly presidio?: PresidioSpec;
    readonly stateCidrs?: readonly string[];
  };
  readonly teams: readonly {
    readonly name: string;
    readonly groups: readonly string[];
    readonly models: readonly string[];
    readonly rateLimits: RateLimits;
    readonly gpuQuota: number;
  }[];
  readonly access: {
    readonly breakGlass?: { readonly roleArn: string; readonly requireMfa: boolean };
    readonly grants: readonly { readonly principal: string; readonly level: AccessLevel; readonly expires: string; readonly reason: string }[];
  };
  readonly secrets: {
    readonly store: SecretStoreKind;
    readonly rotationDays: number;
    readonly keyPrefix: string;
    readonly vault?: { readonly server: string; readonly path: string; readonly role: string; readonly authMountPath: string };
    readonly existingStoreName?: string;
    readonly items: readonly { readonly name: string; readonly owner: string; readonly zone: ZoneName }[];
  };
  readonly audit: {
    readonly retentionDays: number;
    readonly objectLock: ObjectLockMode;
    readonly legalHold: boolean;
    readonly reason?: string;
    readonly bucket?: string;
    readonly bucketRegion?: string;
    readonly endpointUrl?: string;
    readonly sinkCidrs?: readonly string[];
  };
  readonly resilience: { readonly rtoMinutes: number; readonly rpoMinutes: number };
}

/** Applies every default from lib/spec/defaults.ts to a structurally valid manifest. */
export function resolveSpec(m: BoundaryManifest): ResolvedSpec {
  const s = m.spec;
  const oidc = s.kubernetes.oidc;
  const zones = s.network.zones ?? {};
  return {
    name: m.metadata.name,
    customer: m.metadata.customer,
    owner: m.metadata.owner,
    labels: m.metadata.labels ?? {},
    aws: s.aws,
    availabilityZones: s.availabilityZones ?? DEFAULTS.availabilityZones,
    network: {
      cidr: s.network.cidr,
      zoneMasks: {
        gateway: zones.gateway?.cidrMask ?? DEFAULTS.zoneCidrMask.gateway,
        models: zones.models?.cidrMask ?? DEFAULTS.zoneCidrMask.models,
        data: zones.data?.cidrMask ?? DEFAULTS.zoneCidrMask.data,
      },
      consumers: s.network.consumers,
      ingress: s.network.ingress ?? DEFAULTS.ingress,
      waf: s.network.waf ?? DEFAULTS.waf,
      wafAclArn: s.network.wafAclArn,
      tlsCertificateArn: s.network.tlsCertificateArn,
      publicIngressReason: s.network.publicIngressReason,
    },
    kubernetes: {
      version: s.kubernetes.version,
      oidc: oidc && {
        issuerUrl: oidc.issuerUrl,
        clientId: oidc.clientId,
        groupsClaim: oidc.groupsClaim ?? DEFAULTS.oidcGroupsClaim,
        groupsPrefix: oidc.groupsPrefix ?? DEFAULTS.oidcGroupsPrefix,
        usernameClaim: oidc.usernameClaim ?? DEFAULTS.oidcUsernameClaim,
      },
      groupsPrefix: oidc ? oidc.groupsPrefix ?? DEFAULTS.oidcGroupsPrefix : '',
    },
    gpuNodePools: (s.gpuNodePools ?? []).map((p) => ({
      name: p.name,
      instanceTypes: p.instanceTypes,
      gpusPerNode: p.gpusPerNode,
      minNodes: p.minNodes ?? DEFAULTS.poolMinNodes,
      maxNodes: p.maxNodes,
      capacityType: p.capacityType ?? DEFAULTS.poolCapacityType,
      provisioner: p.provisioner ?? DEFAULTS.poolProvisioner,
      amiAlias: p.amiAlias,
      diskGiB: p.diskGiB ?? DEFAULTS.poolDiskGiB,
    })),
    models: (s.models ?? []).map((x) => ({
      name: x.name,
      image: x.image,
      weights: x.weights,
      nodePool: x.nodePool,
      gpus: x.gpus ?? DEFAULTS.modelGpus,
      replicas: x.replicas ?? DEFAULTS.modelReplicas,
      maxModelLen: x.maxModelLen,
    })),
    gateway: {
      engine: s.gateway.engine,
      image: s.gateway.image,
      replicas: s.gateway.replicas ?? DEFAULTS.gatewayReplicas,
      rateLimits: s.gateway.rateLimits,
      redaction: s.gateway.redaction ?? [],
      presidio: s.gateway.presidio,
      stateCidrs: s.gateway.stateCidrs,
    },
    teams: (s.teams ?? []).map((t) => ({
      name: t.name,
      groups: t.groups,
      models: t.models,
      rateLimits: t.rateLimits ?? s.gateway.rateLimits,
      gpuQuota: t.gpuQuota ?? DEFAULTS.teamGpuQuota,
    })),
    access: {
      breakGlass: s.access?.breakGlass && {
        roleArn: s.access.breakGlass.roleArn,
        requireMfa: s.access.breakGlass.requireMfa ?? DEFAULTS.breakGlassRequireMfa,
      },
      grants: s.access?.grants ?? [],
    },
    secrets: {
      store: s.secrets.store,
      rotationDays: s.secrets.rotationDays ?? DEFAULTS.secretsRotationDays,
      keyPrefix: s.secrets.keyPrefix ?? `pab/${m.metadata.name}`,
      vault: s.secrets.vault && {
        server: s.secrets.vault.server,
        path: s.secrets.vault.path ?? DEFAULTS.vaultPath,
        role: s.secrets.vault.role,
        authMountPath: s.secrets.vault.authMountPath ?? DEFAULTS.vaultAuthMountPath,
      },
      existingStoreName: s.secrets.existingStoreName,
      items: (s.secrets.items ?? []).map((i) => ({ name: i.name, owner: i.owner, zone: i.zone ?? DEFAULTS.secretItemZone })),
    },
    audit: {
      retentionDays: s.audit?.retentionDays ?? DEFAULTS.auditRetentionDays,
      objectLock: s.audit?.objectLock ?? DEFAULTS.auditObjectLock,
      legalHold: s.audit?.legalHold ?? DEFAULTS.auditLegalHold,
      reason: s.audit?.reason,
      bucket: s.audit?.bucket,
      bucketRegion: s.audit?.bucketRegion,
      endpointUrl: s.audit?.endpointUrl,
      sinkCidrs: s.audit?.sinkCidrs,
    },
    resilience: {
      rtoMinutes: s.resilience?.rtoMinutes ?? DEFAULTS.rtoMinutes,
      rpoMinutes: s.resilience?.rpoMinutes ?? DEFAULTS.rpoMinutes,
    },
  };
}
