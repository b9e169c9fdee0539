/**
 * Rebuilds the OpenAPI structure of built-in Kubernetes types from kubernetes-models 4.x.
 *
 * kubernetes-models ships no JSON schemas: `_schemas/*.js` are ajv *compiled* validators (types, required fields,
 * enums, formats, but no `additionalProperties: false`), and the only readable copy of the definitions is the
 * generated `.d.ts` next to each model (one interface per OpenAPI definition, `"field"?:` for optional fields,
 * `{ [key: string]: T }` for `additionalProperties` maps, string-literal unions for enums, `string | number` for
 * IntOrString and Quantity, an empty interface for free-form objects such as RawExtension and FieldsV1).
 * This module parses those declarations (line based, strict: an unexpected line throws rather than being skipped)
 * into {@link Schema} definitions for the walker. Files are parsed lazily and cached per process.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Schema } from './openapi-walk';

/** One member of a parsed interface. */
export interface Property {
  readonly name: string;
  readonly optional: boolean;
  readonly type: string;
}

/** What one `.d.ts` file declares, imports and exports. */
export interface ParsedFile {
  readonly base: string;
  readonly imports: Map<string, string>;
  readonly exports: Map<string, string>;
  readonly reexports: string[];
  readonly interfaces: Map<string, Property[]>;
  readonly aliases: Map<string, string>;
}

const files = new Map<string, ParsedFile>();
const refs = new Map<string, Schema>();
const packageRoots = new Map<string, string>();

/** Root directory of the installed kubernetes-models package. */
export const KUBERNETES_MODELS_ROOT = path.dirname(require.resolve('kubernetes-models'));

function packageRoot(name: string): string {
  let root = packageRoots.get(name);
  if (root === undefined) {
    root = path.dirname(require.resolve(name, { paths: [KUBERNETES_MODELS_ROOT] }));
    packageRoots.set(name, root);
  }
  return root;
}

function resolveModule(fromBase: string, spec: string): string {
  if (spec.startsWith('.')) return path.resolve(path.dirname(fromBase), spec);
  const parts = spec.split('/');
  const pkg = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const rest = parts.slice(spec.startsWith('@') ? 2 : 1);
  return path.join(packageRoot(pkg), ...rest);
}

/** Parses one `.d.ts` file (path given without the extension); cached. */
export function parseDeclarationFile(base: string): ParsedFile {
  const cached = files.get(base);
  if (cached !== undefined) return cached;
  const parsed: ParsedFile = {
    base, imports: new Map(), exports: new Map(), reexports: [], interfaces: new Map(), aliases: new Map(),
  };
  const lines = fs.readFileSync(`${base}.d.ts`, 'utf8').split('\n');
  const fail = (i: number, why: string): never => {
    throw new Error(`${base}.d.ts:${i + 1}: ${why}: ${lines[i]}`);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m: RegExpMatchArray | null;
    if ((m = /^import \{ (.+) \} from "([^"]+)";$/.exec(line)) !== null) {
      const module = m[2];
      for (const item of m[1].split(', ')) {
        const [imported, local] = item.split(' as ');
        parsed.imports.set(local ?? imported, `${resolveModule(base, module)}#${imported}`);
      }
    } else if ((m = /^export interface (\w+)(?: extends TypeMeta)? \{(\})?$/.exec(line)) !== null) {
      const props: Property[] = [];
      parsed.interfaces.set(m[1], props);
      if (m[2] !== undefined) continue;
      for (i++; i < lines.length && lines[i] !== '}'; i++) {
        const member = lines[i];
        const trimmed = member.trim();
        if (trimmed === '' || trimmed.startsWith('/**') || trimmed.startsWith('*')) continue;
        const pm = /^ {4}"([^"]+)"(\?)?: (.+)$/.exec(member);
        if (pm === null) fail(i, 'unexpected interface member');
        let type = (pm as RegExpMatchArray)[3];
        while (!type.endsWith(';') || braceDepth(type) !== 0) {
          i++;
          if (i >= lines.length || lines[i] === '}') fail(i, 'unterminated member type');
          const next = lines[i].trim();
          if (!next.startsWith('/**') && !next.startsWith('*')) type += ` ${next}`;
        }
        props.push({ name: (pm as RegExpMatchArray)[1], optional: (pm as RegExpMatchArray)[2] === '?', type: type.slice(0, -1) });
      }
    } else if ((m = /^export declare type (\w+) = (.+);$/.exec(line)) !== null) {
      parsed.aliases.set(m[1], m[2]);
    } else if ((m = /^export \{ (.+) \};$/.exec(line)) !== null) {
      for (const item of m[1].split(', ')) {
        const [local, exported] = item.split(' as ');
        parsed.exports.set(exported ?? local, local);
      }
    } else if ((m = /^export \* from "([^"]+)";$/.exec(line)) !== null) {
      parsed.reexports.push(resolveModule(base, m[1]));
    } else if (/^export declare class /.test(line) && !line.endsWith('}')) {
      while (i < lines.length && lines[i] !== '}') i++;
    }
  }
  files.set(base, parsed);
  return parsed;
}

function braceDepth(text: string): number {
  return (text.match(/\{/g) ?? []).length - (text.match(/\}/g) ?? []).length;
}

/** Resolves a `$ref` key of the form `<file without .d.ts>#<type name>` to a schema; cached. */
export function resolveDeclarationRef(ref: string): Schema {
  const cached = refs.get(ref);
  if (cached !== undefined) return cached;
  const hash = ref.lastIndexOf('#');
  const schema = lookup(parseDeclarationFile(ref.slice(0, hash)), ref.slice(hash + 1), 0);
  if (schema === undefined) throw new Error(`no declaration for ${ref}`);
  refs.set(ref, schema);
  return schema;
}

function lookup(file: ParsedFile, name: string, depth: number): Schema | undefined {
  if (depth > 8) return undefined;
  const props = file.interfaces.get(name);
  if (props !== undefined) return interfaceSchema(file, props);
  const alias = file.aliases.get(name);
  if (alias !== undefined) return typeSchema(file, alias);
  const local = file.exports.get(name);
  if (local !== undefined && local !== name) return lookup(file, local, depth + 1);
  const imported = file.imports.get(name);
  if (imported !== undefined) return { $ref: imported };
  for (const other of file.reexports) {
    const found = lookup(parseDeclarationFile(other), name, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function interfaceSchema(file: ParsedFile, props: Property[]): Schema {
  // An interface without members is a free-form object in OpenAPI (RawExtension, FieldsV1, JSON).
  if (props.length === 0) return { 'x-kubernetes-preserve-unknown-fields': true };
  const properties: Record<string, Schema> = {};
  for (const prop of props) properties[prop.name] = typeSchema(file, prop.type);
  const required = props.filter((p) => !p.optional).map((p) => p.name);
  return { type: 'object', properties, required };
}

/** Tokenizes and parses the TypeScript type grammar kubernetes-models emits. */
function typeSchema(file: ParsedFile, text: string): Schema {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$]*|[<>{}[\]|:;?]/g) ?? [];
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`${file.base}.d.ts: cannot parse type "${text}": ${why}`);
  };
  const expect = (token: string): void => {
    if (tokens[pos] !== token) fail(`expected ${token} at token ${pos}`);
    pos++;
  };
  const union = (): Schema => {
    const members = [primary()];
    while (tokens[pos] === '|') {
      pos++;
      members.push(primary());
    }
    if (members.length === 1) return members[0];
    if (members.every((m) => m.type === 'string' && m.enum !== undefined)) {
      return { type: 'string', enum: members.flatMap((m) => m.enum ?? []) };
    }
    const kinds = new Set(members.map((m) => (m.enum === undefined ? m.type : 'literal')));
    if (kinds.size === 2 && kinds.has('string') && kinds.has('number')) return { 'x-kubernetes-int-or-string': true };
    return fail('unsupported union');
  };
  const primary = (): Schema => {
    const token = tokens[pos++];
    if (token === undefined) return fail('unexpected end');
    if (token.startsWith('"')) return { type: 'string', enum: [JSON.parse(token) as string] };
    if (token === 'string' || token === 'number' || token === 'boolean') return { type: token };
    if (token === 'any' || token === 'unknown' || token === 'object') return { 'x-kubernetes-preserve-unknown-fields': true };
    if (token === 'Array') {
      expect('<');
      const items = union();
      expect('>');
      return { type: 'array', items };
    }
    if (token === '{') {
      if (tokens[pos] === '}') {
        pos++;
        return { 'x-kubernetes-preserve-unknown-fields': true };
      }
      if (tokens[pos]?.startsWith('"')) return objectLiteral();
      expect('[');
      pos++; // key name
      expect(':');
      expect('string');
      expect(']');
      expect(':');
      const values = union();
      if (tokens[pos] === ';') pos++;
      expect('}');
      return { type: 'object', additionalProperties: values };
    }
    if (/^[A-Za-z_$][\w$]*$/.test(token)) {
      const imported = file.imports.get(token);
      return { $ref: imported ?? `${file.base}#${token}` };
    }
    return fail(`unexpected token ${token}`);
  };
  // An inline object type (an embedded definition such as StatefulSet volumeClaimTemplates): `{ "a"?: T; ... }`.
  const objectLiteral = (): Schema => {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    while (tokens[pos] !== '}') {
      const key = tokens[pos++];
      if (key === undefined || !key.startsWith('"')) return fail('expected a quoted member name');
      const name = JSON.parse(key) as string;
      if (tokens[pos] === '?') pos++;
      else required.push(name);
      expect(':');
      properties[name] = union();
      expect(';');
    }
    pos++;
    return { type: 'object', properties, required };
  };
  const schema = union();
  if (pos !== tokens.length) fail('trailing tokens');
  return schema;
}

const API_VERSION = /^(?:[a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** `$ref` of the top-level definition of a built-in kind, or undefined when kubernetes-models has no such kind. */
export function builtInKindRef(apiVersion: string, kind: string): string | undefined {
  if (!API_VERSION.test(apiVersion) || !KIND.test(kind)) return undefined;
  const base = path.join(KUBERNETES_MODELS_ROOT, ...apiVersion.split('/'), kind);
  if (!fs.existsSync(`${base}.d.ts`)) return undefined;
  const props = parseDeclarationFile(base).interfaces.get(`I${kind}`);
  // Only top-level kinds declare literal apiVersion and kind (Container, PodSpec ... do not).
  const literal = (name: string): string | undefined => props?.find((p) => p.name === name)?.type;
  if (literal('apiVersion') !== JSON.stringify(apiVersion) || literal('kind') !== JSON.stringify(kind)) return undefined;
  return `${base}#I${kind}`;
}
