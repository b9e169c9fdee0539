/**
 * A small walker that checks a JSON value against JSON-schema-like definitions (the subset of OpenAPI v3 that
 * Kubernetes uses for built-in types and CRD `openAPIV3Schema`). Objects have `additionalProperties: false`
 * semantics unless they declare `additionalProperties` (a map such as labels) or are free-form (no `properties`).
 *
 * Two modes:
 *  - `unknown-fields`: only unknown properties are reported (types, required fields, enums and formats of
 *    built-in kinds are checked by kubernetes-models' compiled validators instead);
 *  - `full`: also types, required fields, enums, patterns, bounds, min/max items and properties (used for CRDs).
 */

/** A JSON-schema-like definition: the subset of OpenAPI v3 used by Kubernetes schemas. */
export interface Schema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  /** Values of a map (labels, annotations, data, limits ...): any key is allowed. */
  readonly additionalProperties?: Schema;
  readonly items?: Schema;
  readonly enum?: readonly (string | number | boolean)[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  /** A key resolved through the walker's `resolve` callback. */
  readonly $ref?: string;
  /** An integer or a string (IntOrString, Quantity); `pattern` then applies to the string form. */
  readonly 'x-kubernetes-int-or-string'?: true;
  /** Free-form value (RawExtension, FieldsV1, `metadata: {type: object}` in CRDs): nothing below is checked. */
  readonly 'x-kubernetes-preserve-unknown-fields'?: true;
  /** Stand-in for a CEL rule of the form "exactly one of these properties must be set". */
  readonly 'x-exactly-one-of'?: readonly string[];
}

/** What the walker checks: only unknown fields, or everything the schema states. */
export type WalkMode = 'unknown-fields' | 'full';

/** Options of {@link walkSchema}. */
export interface WalkOptions {
  readonly mode: WalkMode;
  /** Resolves a `$ref` key to its definition; throws for an unknown key. */
  readonly resolve: (ref: string) => Schema;
}

/** Formats one path segment: `a.b`, `a["x.io/y"]`, `a[0]`. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Walks `value` against `schema` and returns problems as `path: message` strings (empty when valid). */
export function walkSchema(value: unknown, schema: Schema, options: WalkOptions): string[] {
  const problems: string[] = [];
  walk(value, schema, '', options, problems);
  return problems;
}

const patternCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    re = new RegExp(pattern);
    patternCache.set(pattern, re);
  }
  return re;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function at(path: string, message: string): string {
  return path === '' ? message : `${path}: ${message}`;
}

function walk(value: unknown, start: Schema, path: string, options: WalkOptions, problems: string[]): void {
  let schema = start;
  for (let hops = 0; schema.$ref !== undefined; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${schema.$ref}`);
    schema = options.resolve(schema.$ref);
  }
  const full = options.mode === 'full';
  if (schema['x-kubernetes-preserve-unknown-fields']) return;
  if (value === null || value === undefined) {
    if (full) problems.push(at(path, `must not be ${value === null ? 'null' : 'undefined'}`));
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!full) return;
    if (typeof value === 'string') checkString(value, schema, path, problems);
    else if (!Number.isInteger(value)) problems.push(at(path, `must be an integer or a string, got ${describe(value)}`));
    return;
  }
  const isObjectSchema = schema.type === 'object' || schema.properties !== undefined || schema.additionalProperties !== undefined;
  if (isObjectSchema) {
    if (!isPlainObject(value)) {
      if (full) problems.push(at(path, `must be an object, got ${describe(value)}`));
      return;
    }
    walkObject(value, schema, path, options, problems);
    return;
  }
  if (schema.type === 'array' || schema.items !== undefined) {
    if (!Array.isArray(value)) {
      if (full) problems.push(at(path, `must be an array, got ${describe(value)}`));
      return;
    }
    if (full && schema.minItems !== undefined && value.length < schema.minItems) {
      problems.push(at(path, `must have at least ${schema.minItems} item(s)`));
    }
    if (full && schema.maxItems !== undefined && value.length > schema.maxItems) {
      problems.push(at(path, `must have at most ${schema.maxItems} item(s)`));
    }
    if (schema.items !== undefined) {
      value.forEach((item, i) => walk(item, schema.items as Schema, joinPath(path, i), options, problems));
    }
    return;
  }
  if (full) checkScalar(value, schema, path, problems);
}

function walkObject(
  value: Record<string, unknown>, schema: Schema, path: string, options: WalkOptions, problems: string[],
): void {
  const { properties, additionalProperties } = schema;
  const full = options.mode === 'full';
  for (const [key, child] of Object.entries(value)) {
    const childPath = joinPath(path, key);
    const declared = properties !== undefined && Object.prototype.hasOwnProperty.call(properties, key)
      ? properties[key] : undefined;
    if (declared !== undefined) {
      walk(child, declared, childPath, options, problems);
    } else if (additionalProperties !== undefined) {
      walk(child, additionalProperties, childPath, options, problems);
    } else if (properties !== undefined) {
      problems.push(at(childPath, 'unknown field'));
    }
    // `type: object` without properties or additionalProperties is free-form: any key is fine.
  }
  if (!full) return;
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) problems.push(at(joinPath(path, key), 'missing required field'));
  }
  const count = Object.keys(value).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    problems.push(at(path, `must have at least ${schema.minProperties} field(s)`));
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    problems.push(at(path, `must have at most ${schema.maxProperties} field(s), got ${Object.keys(value).join(', ')}`));
  }
  const oneOf = schema['x-exactly-one-of'];
  if (oneOf !== undefined && oneOf.filter((key) => value[key] !== undefined).length !== 1) {
    problems.push(at(path, `must set exactly one of ${oneOf.join(', ')}`));
  }
}

function checkScalar(value: unknown, schema: Schema, path: string, problems: string[]): void {
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') {
        problems.push(at(path, `must be a string, got ${describe(value)}`));
        return;
      }
      checkString(value, schema, path, problems);
      return;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (schema.type === 'integer' && !Number.isInteger(value))) {
        problems.push(at(path, `must be ${schema.type === 'integer' ? 'an integer' : 'a number'}, got ${describe(value)}`));
        return;
      }
      if (schema.minimum !== undefined && value < schema.minimum) problems.push(at(path, `must be >= ${schema.minimum}`));
      if (schema.maximum !== undefined && value > schema.maximum) problems.push(at(path, `must be <= ${schema.maximum}`));
      break;
    case 'boolean':
      if (typeof value !== 'boolean') {
        problems.push(at(path, `must be a boolean, got ${describe(value)}`));
        return;
      }
      break;
    default:
      break;
  }
  checkEnum(value, schema, path, problems);
}

function checkString(value: string, schema: Schema, path: string, problems: string[]): void {
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    problems.push(at(path, `must be at least ${schema.minLength} character(s) long`));
  }
  if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) {
    problems.push(at(path, `${JSON.stringify(value)} does not match ${schema.pattern}`));
  }
  checkEnum(value, schema, path, problems);
}

function checkEnum(value: unknown, schema: Schema, path: string, problems: string[]): void {
  if (schema.enum !== undefined && !schema.enum.includes(value as string | number | boolean)) {
    problems.push(at(path, `${JSON.stringify(value)} is not one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`));
  }
}
