// Public API of private-ai-boundary/pulumi: the boundary as a Pulumi component (package.json "exports": "./pulumi").
export { PrivateAiBoundary, BOUNDARY_TYPE, childName, type PrivateAiBoundaryArgs, type BoundaryNamespaceNames } from './private-ai-boundary';
export { kubernetesResource, resourceClassOf, assertNoSecretData, isCustomResource, KUBERNETES_CLASSES, CRD_GROUPS } from './kubernetes-resource';
export { dependenciesOf, objectKey } from './dependencies';
export { registerWithMocks, type RegisteredResource } from './mock-registration';
export { parityDifferences, canonicalJson, sortKeys, typeToken } from './parity';
export { renderPulumiProject, PULUMI_PROJECT, SPEC_CONFIG_KEY, type PulumiProject, type ProjectFile } from './pulumi-project';
export { stackManifest } from './stack-manifest';
// The spec types and validation, so a Pulumi program needs this one import.
export { Boundary, SpecError, type BoundaryManifest, type ValidateOptions } from '../spec';
