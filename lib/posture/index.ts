// Public API of the posture: what a boundary's synthesized artifacts allow, read back from them.
export * from './types';
export {
  buildPosture, isPostureArtifact, parsePosture, postureArtifactsOfPlan, postureOfDist, postureOfPlan, serializePosture,
  type PostureArtifact, type PostureInput, type PostureOfPlanOptions,
} from './build';
export { PostureError } from './normalize-schema';
export type { PostureFragment } from './normalize';
export { ManifestReadError, parseKubernetesManifests, readKubernetesManifests, readKubernetesObjects } from './read-kubernetes';
export { SECRET_METADATA_KEY, TemplateReadError, parseTemplate, readCloudFormationTemplate } from './read-cloudformation';
export {
  PulumiResourcesReadError, kubernetesObjectsFromPulumi, parsePulumiResources, readPulumiResources, type PulumiResourceRecord,
} from './read-pulumi';
