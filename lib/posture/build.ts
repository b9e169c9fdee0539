import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ordinal } from '../k8s/k8s-object';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { IMPLEMENTED_TARGETS, TARGETS, renderTargetAsync, targetApplies, type Target } from '../synth/targets';
import { canonicalJson, mergeSecrets, sortEvidence, uniqueBy, uniqueSorted, type PostureFragment } from './normalize';
import { PostureError, validatePosture } from './normalize-schema';
import { readCloudFormationTemplate } from './read-cloudformation';
import { readKubernetesManifests } from './read-kubernetes';
import { readPulumiResources } from './read-pulumi';
import { POSTURE_SCHEMA, POSTURE_SECTIONS, type ArtifactTarget, type Posture, type PostureEntry, type PostureSource } from './types';

/** One synthesized artifact to read. */
export interface PostureArtifact {
  /** The target that wrote it. */
  readonly target: ArtifactTarget;
  /**
   * Path relative to the boundary's output directory: `kubernetes/manifests.yaml`,
   * `cloudformation/<stack>.template.json`, `pulumi/resources.json`.
   */
  readonly path: string;
  /** The artifact's text (UTF-8), exactly as written. */
  readonly content: string;
}

/** What `buildPosture` reads. */
export interface PostureInput {
  /** The boundary name (`metadata.name`). */
  readonly boundary: string;
  /** The artifacts, at least one. */
  readonly artifacts: readonly PostureArtifact[];
}

/** The artifact file of each target a posture is read from (the others — checks.json, the Pulumi program — say nothing it needs). */
export function isPostureArtifact(target: ArtifactTarget, path: string): boolean {
  switch (target) {
    case 'kubernetes': return path === 'manifests.yaml';
    case 'cloudformation': return path.endsWith('.template.json');
    case 'pulumi': return path === 'resources.json';
    default: {
      const never: never = target;
      throw new Error(`internal: unknown target ${String(never)}`);
    }
  }
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function fragmentOf(a: PostureArtifact): PostureFragment {
  switch (a.target) {
    case 'kubernetes': return readKubernetesManifests(a.content, a.path);
    case 'pulumi': return readPulumiResources(a.content, a.path);
    case 'cloudformation': return readCloudFormationTemplate(a.content, basename(a.path).replace(/\.template\.json$/, ''), a.path);
    default: {
      const never: never = a.target;
      throw new Error(`internal: unknown target ${String(never)}`);
    }
  }
}

/** The sections of a fragment, to compare two readings of the same Kubernetes objects. */
function sectionsJson(f: PostureFragment): string {
  return canonicalJson({ ...Object.fromEntries(POSTURE_SECTIONS.map((s) => [s, [...f[s]].sort((a, b) => ordinal(a.key, b.key))])), owners: f.owners });
}

/** One owner value: the distinct values the artifacts record, joined (`undefined` when none does). */
function ownerValue(values: readonly string[]): string | undefined {
  const distinct = uniqueSorted(values);
  return distinct.length > 0 ? distinct.join(', ') : undefined;
}

function byKey<T extends PostureEntry>(entries: readonly T[]): T[] {
  return [...entries].map((e) => ({ ...e, evidence: sortEvidence(e.evidence) })).sort((a, b) => ordinal(a.key, b.key));
}

/**
 * Builds the posture of a boundary from its synthesized artifacts: each is read by its reader, the Kubernetes and
 * Pulumi readings of the same objects must agree (they are one set of objects — an internal error otherwise), a
 * secret seen by several artifacts becomes one entry, keys must be unique, and every list is sorted (network: public
 * rules first, then by key; every other section by key). Sources carry each artifact's path and SHA-256.
 */
export function buildPosture(input: PostureInput): Posture {
  if (input.artifacts.length === 0) throw new PostureError(`${input.boundary}: no artifact to read a posture from`);
  const clusterReadings: { artifact: PostureArtifact; fragment: PostureFragment }[] = [];
  const fragments: PostureFragment[] = [];
  for (const artifact of input.artifacts) {
    const fragment = fragmentOf(artifact);
    if (artifact.target === 'cloudformation') {
      fragments.push(fragment);
      continue;
    }
    const first = clusterReadings[0];
    if (first && sectionsJson(first.fragment) !== sectionsJson(fragment)) {
      throw new PostureError(`${input.boundary}: ${first.artifact.path} and ${artifact.path} describe different Kubernetes objects — the targets must render the same objects`);
    }
    if (!first) fragments.push(fragment);
    clusterReadings.push({ artifact, fragment });
  }

  const all = <T>(pick: (f: PostureFragment) => readonly T[]): T[] => fragments.flatMap(pick);
  const posture: Posture = {
    schema: POSTURE_SCHEMA,
    boundary: input.boundary,
    owners: {
      ...(ownerValue(fragments.flatMap((f) => f.owners.customer)) !== undefined ? { customer: ownerValue(fragments.flatMap((f) => f.owners.customer)) } : {}),
      ...(ownerValue(fragments.flatMap((f) => f.owners.owner)) !== undefined ? { owner: ownerValue(fragments.flatMap((f) => f.owners.owner)) } : {}),
      secretOwners: uniqueBy(fragments.flatMap((f) => f.owners.secretOwners), (o) => `${o.secret}\u0000${o.owner}`),
    },
    sources: uniqueBy(input.artifacts.map((a): PostureSource => ({ target: a.target, artifact: a.path, sha256: sha256(a.content) })), (s) => `${s.target}\u0000${s.artifact}`),
    network: byKey(all((f) => f.network)).sort((a, b) => Number(b.public) - Number(a.public) || ordinal(a.key, b.key)),
    modelAccess: byKey(all((f) => f.modelAccess)),
    identity: byKey(all((f) => f.identity)),
    secrets: byKey(mergeSecrets(all((f) => f.secrets))),
    encryption: byKey(all((f) => f.encryption)),
    retention: byKey(all((f) => f.retention)),
    redaction: byKey(all((f) => f.redaction)),
    hardening: byKey(all((f) => f.hardening)),
  };
  const seen = new Map<string, string>();
  for (const section of POSTURE_SECTIONS) {
    for (const e of posture[section]) {
      const prev = seen.get(e.key);
      if (prev !== undefined) throw new Error(`internal: posture key ${e.key} appears twice (${prev} and ${section})`);
      seen.set(e.key, section);
    }
  }
  return posture;
}

/** Options of `postureOfPlan`. */
export interface PostureOfPlanOptions {
  /**
   * Targets to render and read.
   * @default - every implemented target that applies to the plan (CloudFormation needs `spec.aws`)
   */
  readonly targets?: readonly Target[];
}

/**
 * The artifacts of a plan, rendered in memory exactly as `pab synth` writes them (`renderTargetAsync`), restricted to
 * the files a posture is read from.
 */
export async function postureArtifactsOfPlan(plan: BoundaryPlan, options: PostureOfPlanOptions = {}): Promise<PostureArtifact[]> {
  const targets = options.targets ?? TARGETS.filter((t) => IMPLEMENTED_TARGETS.includes(t) && targetApplies(plan, t));
  const artifacts: PostureArtifact[] = [];
  for (const target of targets) {
    if (!targetApplies(plan, target)) continue;
    const rendered = await renderTargetAsync(plan, target);
    for (const file of rendered.files) {
      if (isPostureArtifact(target, file.path)) artifacts.push({ target, path: `${target}/${file.path}`, content: file.content });
    }
  }
  return artifacts;
}

/** The posture of a plan: its targets rendered in memory, then read back (never copied from the spec). */
export async function postureOfPlan(plan: BoundaryPlan, options: PostureOfPlanOptions = {}): Promise<Posture> {
  return buildPosture({ boundary: plan.name, artifacts: await postureArtifactsOfPlan(plan, options) });
}

/**
 * The posture of a boundary's output directory (`dist/<name>`): `kubernetes/manifests.yaml`,
 * `cloudformation/*.template.json` and `pulumi/resources.json`, whichever exist. The boundary is named after the
 * directory. Throws `PostureError` when the directory holds none of them.
 */
export function postureOfDist(dir: string): Posture {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new PostureError(`${dir}: not a directory`);
  const artifacts: PostureArtifact[] = [];
  const add = (target: ArtifactTarget, rel: string): void => {
    const file = join(root, target, rel);
    if (existsSync(file) && statSync(file).isFile()) artifacts.push({ target, path: `${target}/${rel}`, content: readFileSync(file, 'utf8') });
  };
  add('kubernetes', 'manifests.yaml');
  const cfn = join(root, 'cloudformation');
  if (existsSync(cfn) && statSync(cfn).isDirectory()) {
    for (const f of readdirSync(cfn).filter((n) => n.endsWith('.template.json')).sort(ordinal)) add('cloudformation', f);
  }
  add('pulumi', 'resources.json');
  if (artifacts.length === 0) {
    throw new PostureError(`${dir}: no synthesized artifact (kubernetes/manifests.yaml, cloudformation/*.template.json or pulumi/resources.json) — run pab synth first`);
  }
  return buildPosture({ boundary: basename(root), artifacts });
}

/** Key order in posture.json: document order at the top, `key` first in entries, `evidence` last, the rest alphabetical. */
const KEY_ORDER = ['schema', 'boundary', 'owners', 'sources', ...POSTURE_SECTIONS, 'key'];

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value === null || typeof value !== 'object') return value;
  const rank = (k: string): number => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : k === 'evidence' ? KEY_ORDER.length + 1 : KEY_ORDER.length);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => rank(a) - rank(b) || ordinal(a, b));
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v)]));
}

/** `posture.json`: stable key order whatever the construction order, two-space indent, trailing newline. */
export function serializePosture(p: Posture): string {
  return `${JSON.stringify(ordered(p), null, 2)}\n`;
}

/**
 * Reads a `posture.json`. Throws `PostureError` naming the file and the field (`network[3].ports[0].protocol`) on
 * anything that is not a posture of this schema: invalid JSON, a missing or mistyped field, an unknown field, a
 * repeated key.
 */
export function parsePosture(text: string, file: string): Posture {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PostureError(`${file}: not JSON: ${(e as Error).message}`);
  }
  return validatePosture(doc, file);
}


