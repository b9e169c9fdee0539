/** Reads a CloudFormation template's posture: composes the readers in cloudformation/ (one concept per file). */
import { emptyFragment, mergeSecrets, type PostureFragment } from './normalize';
import { accessEntryGrants, roleGrants } from './cloudformation/identity';
import { clusterEndpointRules, endpointRules, networkAclRules, routeRules, securityGroupRules } from './cloudformation/network';
import { secretEntries } from './cloudformation/secrets';
import { encryption, retention } from './cloudformation/storage';
import { TAG, Template, TemplateReadError, parseTemplate, type Resource } from './cloudformation/template';

export { SECRET_METADATA_KEY } from './cloudformation/secrets';
export { TemplateReadError, parseTemplate } from './cloudformation/template';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are read as data of many shapes */

/**
 * Reads the posture of a synthesized CloudFormation template: security groups, NACLs, routes, VPC endpoints and
 * the EKS endpoint (network); IAM roles and EKS access entries (identity); Secrets Manager secrets; encryption and
 * retention of every store; the owner tag. Intrinsics are resolved only as far as names need it; AWS is never called.
 */
export function readCloudFormationTemplate(template: unknown, stack: string, file = `${stack}.template.json`): PostureFragment {
  const doc = typeof template === 'string' ? parseTemplate(template, file) : (template as Record<string, any>);
  if (!doc || typeof doc !== 'object' || !doc.Resources || typeof doc.Resources !== 'object') {
    throw new TemplateReadError(`${file}: not a CloudFormation template (no Resources)`);
  }
  const t = new Template(stack, doc.Resources as Record<string, Resource>);
  const f = emptyFragment();
  f.network.push(...securityGroupRules(t), ...networkAclRules(t), ...routeRules(t), ...endpointRules(t), ...clusterEndpointRules(t));
  f.identity.push(...roleGrants(t), ...accessEntryGrants(t));
  const secrets = secretEntries(t);
  f.secrets.push(...mergeSecrets(secrets.entries));
  f.owners.secretOwners.push(...secrets.owners);
  f.encryption.push(...encryption(t));
  f.retention.push(...retention(t));
  for (const id of Object.keys(t.resources)) {
    const owner = t.tag(id, TAG.owner);
    if (owner) f.owners.owner.push(owner);
  }
  return f;
}
