import type { ResolvedSpec } from '../spec/resolve';
import { API_VERSION, KIND, type BoundaryManifest } from '../spec/types';

/**
 * The manifest a Pulumi stack config holds for a validated spec: every default spelled out, so the stack deploys
 * exactly the values that were reviewed — a later release of this library with other defaults does not change a
 * deployed boundary's spec. `Boundary.fromManifest(stackManifest(spec)).spec` equals `spec` (tested for every example).
 */
export function stackManifest(spec: ResolvedSpec): BoundaryManifest {
  const s = spec;
  const oidc = s.kubernetes.oidc;
  const manifest: BoundaryManifest = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: s.name, customer: s.customer, owner: s.owner, labels: Object.keys(s.labels).length > 0 ? { ...s.labels } : undefined },
    spec: {
      aws: s.aws && { account: s.aws.account, region: s.aws.region },
      availabilityZones: s.availabilityZones,
      network: {
        cidr: s.network.cidr,
        zones: { gateway: { cidrMask: s.network.zoneMasks.gateway }, models: { cidrMask: s.network.zoneMasks.models }, data: { cidrMask: s.network.zoneMasks.data } },
        consumers: s.network.consumers.map((c) => ({ name: c.name, cidr: c.cidr, namespace: c.namespace })),
        ingress: s.network.ingress,
        waf: s.network.waf,
        wafAclArn: s.network.wafAclArn,
        tlsCertificateArn: s.network.tlsCertificateArn,
        publicIngressReason: s.network.publicIngressReason,
      },
      kubernetes: {
        version: s.kubernetes.version,
        oidc: oidc && { issuerUrl: oidc.issuerUrl, clientId: oidc.clientId, groupsClaim: oidc.groupsClaim, groupsPrefix: oidc.groupsPrefix, usernameClaim: oidc.usernameClaim },
      },
      gpuNodePools: s.gpuNodePools.map((p) => ({
        name: p.name, instanceTypes: [...p.instanceTypes], gpusPerNode: p.gpusPerNode, minNodes: p.minNodes, maxNodes: p.maxNodes,
        capacityType: p.capacityType, provisioner: p.provisioner, amiAlias: p.amiAlias, diskGiB: p.diskGiB,
      })),
      models: s.models.map((m) => ({
        name: m.name, image: m.image, weights: m.weights, nodePool: m.nodePool, gpus: m.gpus, replicas: m.replicas, maxModelLen: m.maxModelLen,
      })),
      gateway: {
        engine: s.gateway.engine,
        image: s.gateway.image,
        replicas: s.gateway.replicas,
        rateLimits: { ...s.gateway.rateLimits },
        redaction: s.gateway.redaction.map((r) => ({ entities: [...r.entities], action: r.action })),
        presidio: s.gateway.presidio && { analyzerImage: s.gateway.presidio.analyzerImage, anonymizerImage: s.gateway.presidio.anonymizerImage },
        stateCidrs: s.gateway.stateCidrs && [...s.gateway.stateCidrs],
      },
      teams: s.teams.map((t) => ({ name: t.name, groups: [...t.groups], models: [...t.models], rateLimits: { ...t.rateLimits }, gpuQuota: t.gpuQuota })),
      access: {
        breakGlass: s.access.breakGlass && { roleArn: s.access.breakGlass.roleArn, requireMfa: s.access.breakGlass.requireMfa },
        grants: s.access.grants.map((g) => ({ principal: g.principal, level: g.level, expires: g.expires, reason: g.reason })),
      },
      secrets: {
        store: s.secrets.store,
        rotationDays: s.secrets.rotationDays,
        keyPrefix: s.secrets.keyPrefix,
        vault: s.secrets.vault && { server: s.secrets.vault.server, path: s.secrets.vault.path, role: s.secrets.vault.role, authMountPath: s.secrets.vault.authMountPath },
        existingStoreName: s.secrets.existingStoreName,
        items: s.secrets.items.map((i) => ({ name: i.name, owner: i.owner, zone: i.zone })),
      },
      audit: {
        retentionDays: s.audit.retentionDays,
        objectLock: s.audit.objectLock,
        legalHold: s.audit.legalHold,
        reason: s.audit.reason,
        bucket: s.audit.bucket,
        bucketRegion: s.audit.bucketRegion,
        endpointUrl: s.audit.endpointUrl,
        sinkCidrs: s.audit.sinkCidrs && [...s.audit.sinkCidrs],
      },
      resilience: { rtoMinutes: s.resilience.rtoMinutes, rpoMinutes: s.resilience.rpoMinutes },
    },
  };
  return withoutUndefined(manifest);
}

/** A deep copy without `undefined` members: absent fields stay absent in YAML and JSON. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)])) as T;
}
