/** The template being read: parsing, and lookups of resources, tags, names, KMS keys and IAM principals. */
import { ordinal } from '../../k8s/k8s-object';
import { cfnRef } from '../normalize';
import { referencedId, resolveString } from '../normalize-iam';
import type { AtRestEncryption, EvidenceRef } from '../types';
import { TEMPLATE_RECORD } from '../../plan/names';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are read as data of many shapes */

/** Tags the AWS target writes (the boundary's label domain). */
export const TAG = { owner: TEMPLATE_RECORD.ownerTag, legalHold: TEMPLATE_RECORD.legalHoldTag, expires: TEMPLATE_RECORD.expiresTag, reason: TEMPLATE_RECORD.reasonTag } as const;

/** Thrown when a template cannot be read. */
export class TemplateReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateReadError';
  }
}

/** A template resource, as much of it as the posture reads. */
export interface Resource { readonly Type: string; readonly Properties?: Record<string, any>; readonly Metadata?: Record<string, any> }

/** The name property of each resource type, when the template sets it literally. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'RoleName', 'AWS::S3::Bucket': 'BucketName', 'AWS::Logs::LogGroup': 'LogGroupName', 'AWS::CloudTrail::Trail': 'TrailName',
  'AWS::SecretsManager::Secret': 'Name', 'AWS::EKS::Cluster': 'Name', 'AWS::SQS::Queue': 'QueueName', 'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::DBCluster': 'DBClusterIdentifier', 'AWS::ElastiCache::ReplicationGroup': 'ReplicationGroupId', 'AWS::EC2::LaunchTemplate': 'LaunchTemplateName',
  'AWS::KMS::Alias': 'AliasName',
};

/** Read context: the resources, the stack, and lookups. */
export class Template {
  constructor(readonly stack: string, readonly resources: Readonly<Record<string, Resource>>) {}

  ids(type: string): string[] {
    return Object.keys(this.resources).filter((id) => this.resources[id].Type === type).sort(ordinal);
  }
  props(id: string): Record<string, any> {
    return this.resources[id]?.Properties ?? {};
  }
  type(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.resources[id]?.Type;
  }
  ref(id: string): EvidenceRef {
    return cfnRef(this.stack, id);
  }
  tag(id: string, key: string): string | undefined {
    const tags = this.props(id).Tags;
    if (Array.isArray(tags)) return tags.find((t: any) => t.Key === key)?.Value;
    return tags && typeof tags === 'object' ? tags[key] : undefined;
  }
  /** The resource's own name when the template sets it literally (a Name tag for network resources), else its logical id. */
  name(id: string): string {
    const prop = NAME_PROPERTY[this.resources[id]?.Type ?? ''];
    const value = prop ? this.props(id)[prop] : this.tag(id, 'Name');
    return typeof value === 'string' ? value : id;
  }
  /** The logical id a value references, when it is a resource of this template. */
  target(value: unknown): string | undefined {
    const id = referencedId(value);
    return id !== undefined && this.resources[id] ? id : undefined;
  }
  /** A KMS key reference: `cmk` with the key's alias (or id), `aws-managed` for an `alias/aws/*` key, `undefined` if none. */
  key(value: unknown): { atRest: AtRestEncryption; kmsKey?: string } | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const id = this.target(value);
    if (id !== undefined) {
      const alias = this.ids('AWS::KMS::Alias').find((a) => this.target(this.props(a).TargetKeyId) === id);
      return { atRest: 'cmk', kmsKey: alias ? this.props(alias).AliasName : id };
    }
    const text = resolveString(value);
    return /alias\/aws\//.test(text) ? { atRest: 'aws-managed' } : { atRest: 'cmk', kmsKey: text };
  }
  /** A reference to an IAM role of this template as the role's name; anything else as resolved. */
  principalName(value: unknown): string {
    const id = this.target(value);
    return id !== undefined && this.type(id) === 'AWS::IAM::Role' ? this.name(id) : resolveString(value);
  }
}

/** Parses a template's JSON text. */
export function parseTemplate(text: string, file: string): Record<string, any> {
  try {
    return JSON.parse(text) as Record<string, any>;
  } catch (e) {
    throw new TemplateReadError(`${file}: not JSON: ${(e as Error).message}`);
  }
}
