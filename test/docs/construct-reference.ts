/**
 * Keeps docs/CONSTRUCTS.md true to the code: {@link checkConstructReference} compares the reference with the model of
 * the constructs (construct-model.ts) and returns every difference. It is a pure function, so a test can feed it a
 * synthetic reference and prove it fails.
 *
 * Document layout it expects (headings and tables outside code fences):
 * - `## \`private-ai-boundary/aws\`` and `## \`private-ai-boundary\``: one section per entry point, so the two
 *   `GpuNodePool` classes each get their own `### GpuNodePool`;
 * - `### <Class>`: one per exported construct, mentioning its props interface in backticks, with a table whose first
 *   header cell is `prop` (columns prop | type | default | description; none for a construct without props), a table
 *   whose first header cell is `attribute` (attribute | type | description) when the class has public attributes, one
 *   whose first header cell is `method` when it has public methods, and a ```ts snippet that calls `new <Class>(`;
 * - `#### <Interface>`: a `prop` table for each nested props type (e.g. `ClusterOidcProps`), so nested shapes cannot go
 *   stale either.
 * Props declared in this repository must all be listed; inherited ones from aws-cdk-lib or cdk8s may be. The default
 * cell of a required prop is `*required*`; of an optional one, its JSDoc `@default` (compared with backticks, HTML
 * entities, a leading `- ` and runs of white space ignored). Types are compared the same way with the declaration.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConstructInfo, PropInfo, Snippet } from './construct-model';


/** A markdown table: header cells and rows, each with its 1-based line. */
interface Table {
  readonly kind: string;
  readonly rows: ReadonlyArray<{ readonly cells: readonly string[]; readonly line: number }>;
  readonly line: number;
}

/** A `####` subsection of a construct section. */
interface SubSection {
  readonly title: string;
  readonly line: number;
  readonly tables: Table[];
}

/** A `###` section. */
interface ConstructSection {
  readonly title: string;
  readonly line: number;
  readonly text: string[];
  readonly tables: Table[];
  readonly subsections: SubSection[];
  readonly snippets: Snippet[];
}

/** A `##` section. */
interface ModuleSection {
  readonly title: string;
  readonly constructs: ConstructSection[];
}

/** Heading text without backticks and surrounding space. */
function headingTitle(line: string): string {
  return line.replace(/^#+\s*/, '').replace(/`/g, '').trim();
}

/** Cells of a table row, split at unescaped pipes, `\|` restored. */
export function tableCells(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && line[i + 1] === '|') {
      current += '|';
      i++;
    } else if (c === '|') {
      cells.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  cells.push(current);
  // A row starts and ends with a pipe: drop the empty outer cells.
  return cells.slice(1, cells.length - 1).map((c) => c.trim());
}

/** The reference: its `##` sections and every TypeScript snippet, wherever it is. */
interface ParsedReference {
  readonly modules: ModuleSection[];
  readonly snippets: Snippet[];
}

/** Parses the reference into its `##` / `###` / `####` sections, tables and TypeScript snippets. */
function parseReference(markdown: string): ParsedReference {
  const lines = markdown.split('\n');
  const modules: ModuleSection[] = [];
  const snippets: Snippet[] = [];
  let mod: ModuleSection | undefined;
  let section: ConstructSection | undefined;
  let sub: SubSection | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*```+\s*([\w-]*)/.exec(line);
    if (fence) {
      const start = i + 1;
      let end = start;
      while (end < lines.length && !/^\s*```/.test(lines[end])) end++;
      if (/^(ts|typescript)$/i.test(fence[1])) {
        const snippet = { line: start + 1, code: lines.slice(start, end).join('\n') };
        snippets.push(snippet);
        section?.snippets.push(snippet);
      }
      section?.text.push(...lines.slice(i, end + 1));
      i = end;
      continue;
    }
    if (/^## /.test(line)) {
      mod = { title: headingTitle(line), constructs: [] };
      modules.push(mod);
      section = undefined;
      sub = undefined;
      continue;
    }
    if (/^### /.test(line)) {
      section = mod ? { title: headingTitle(line), line: i + 1, text: [], tables: [], subsections: [], snippets: [] } : undefined;
      if (section) mod!.constructs.push(section);
      sub = undefined;
      continue;
    }
    if (/^#### /.test(line)) {
      sub = section ? { title: headingTitle(line), line: i + 1, tables: [] } : undefined;
      if (sub) section!.subsections.push(sub);
      continue;
    }
    if (/^#{1,2}[^#]/.test(line)) {
      section = undefined;
      sub = undefined;
      continue;
    }
    if (!section) continue;
    section.text.push(line);
    if (/^\s*\|/.test(line)) {
      const header = tableCells(line.trim());
      const rows: { cells: string[]; line: number }[] = [];
      let j = i + 1;
      for (; j < lines.length && /^\s*\|/.test(lines[j]); j++) {
        section.text.push(lines[j]);
        const cells = tableCells(lines[j].trim());
        if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
        rows.push({ cells, line: j + 1 });
      }
      const table: Table = { kind: (header[0] ?? '').replace(/`/g, '').toLowerCase(), rows, line: i + 1 };
      // Attribute and method tables belong to the construct even when they follow a `####` props type.
      (table.kind === 'prop' && sub ? sub : section).tables.push(table);
      i = j - 1;
    }
  }
  return { modules, snippets };
}

/** Text of a cell or JSDoc comparable with another: no backticks or entities, single spaces, no leading `- `. */
export function normalize(text: string): string {
  return text
    .replace(/`/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^- /, '')
    .trim();
}

/** Name in a first cell: `` `grantRead(role)` `` → `grantRead`. */
function cellName(cell: string): string {
  return cell.replace(/`/g, '').replace(/\(.*$/, '').trim();
}

/** Problems of one props table against the declared members. */
function checkPropsTable(where: string, table: Table | undefined, props: readonly PropInfo[]): string[] {
  if (!table) return [`${where}: no props table (a table whose first header cell is "prop")`];
  const problems: string[] = [];
  const declared = new Map(props.map((p) => [p.name, p]));
  const seen = new Set<string>();
  for (const row of table.rows) {
    const name = cellName(row.cells[0] ?? '');
    const at = `${where}, line ${row.line}`;
    if (seen.has(name)) problems.push(`${at}: prop "${name}" is listed twice`);
    seen.add(name);
    const prop = declared.get(name);
    if (!prop) {
      problems.push(`${at}: prop "${name}" does not exist`);
      continue;
    }
    if (row.cells.length < 4) {
      problems.push(`${at}: prop "${name}" needs 4 cells (prop | type | default | description), has ${row.cells.length}`);
      continue;
    }
    const [, type, def, description] = row.cells;
    if (normalize(type) !== normalize(prop.type)) problems.push(`${at}: prop "${name}" has type \`${prop.type}\`, the table says \`${normalize(type)}\``);
    if (description.trim() === '') problems.push(`${at}: prop "${name}" has no description`);
    if (prop.external) continue;
    const isRequiredCell = normalize(def).replace(/[*_]/g, '') === 'required';
    if (!prop.optional && !isRequiredCell) problems.push(`${at}: prop "${name}" is required: its default cell must be *required*`);
    if (prop.optional && isRequiredCell) problems.push(`${at}: prop "${name}" is optional, the table says required`);
    if (prop.optional && prop.defaultText !== undefined && normalize(def) !== normalize(prop.defaultText)) {
      problems.push(`${at}: prop "${name}" defaults to "${normalize(prop.defaultText)}" (JSDoc @default), the table says "${normalize(def)}"`);
    }
    if (prop.optional && normalize(def) === '') problems.push(`${at}: prop "${name}" is optional: say what happens without it`);
  }
  for (const prop of props) {
    if (!prop.external && !seen.has(prop.name)) problems.push(`${where}: prop "${prop.name}" is not documented`);
  }
  return problems;
}

/** Problems of a table of names (attributes, methods) against the class's public members. */
function checkNameTable(where: string, kind: string, table: Table | undefined, expected: ReadonlyMap<string, string | undefined>): string[] {
  if (!table) return expected.size > 0 ? [`${where}: no ${kind} table (a table whose first header cell is "${kind}") for ${[...expected.keys()].join(', ')}`] : [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    const name = cellName(row.cells[0] ?? '');
    const at = `${where}, line ${row.line}`;
    if (seen.has(name)) problems.push(`${at}: ${kind} "${name}" is listed twice`);
    seen.add(name);
    if (!expected.has(name)) {
      problems.push(`${at}: ${kind} "${name}" is not a public ${kind} of the class`);
      continue;
    }
    const type = expected.get(name);
    if (type !== undefined && normalize(row.cells[1] ?? '') !== normalize(type)) {
      problems.push(`${at}: ${kind} "${name}" has type \`${type}\`, the table says \`${normalize(row.cells[1] ?? '')}\``);
    }
  }
  for (const name of expected.keys()) if (!seen.has(name)) problems.push(`${where}: ${kind} "${name}" is not documented`);
  return problems;
}

/** Problems of one construct's section. */
function checkSection(c: ConstructInfo, s: ConstructSection): string[] {
  const where = `${c.module} ### ${c.name} (line ${s.line})`;
  const problems: string[] = [];
  const text = s.text.join('\n');
  const tablesOf = (tables: readonly Table[], kind: string) => tables.filter((t) => t.kind === kind);
  const propTables = tablesOf(s.tables, 'prop');
  if (propTables.length > 1) problems.push(`${where}: ${propTables.length} props tables, expected one`);
  // A construct without a props parameter needs no props table (and may not list any prop).
  if (c.propsType !== '' && !text.includes(`\`${c.propsType}\``)) problems.push(`${where}: does not name its props interface \`${c.propsType}\``);
  if (c.propsType !== '' || propTables.length > 0) problems.push(...checkPropsTable(where, propTables[0], c.props));

  const nested = new Map(c.nestedTypes.map((n) => [n.name, n]));
  for (const sub of s.subsections) {
    const type = nested.get(sub.title);
    const subTables = tablesOf(sub.tables, 'prop');
    if (!type) {
      if (subTables.length > 0) problems.push(`${where}, line ${sub.line}: #### ${sub.title} is not an interface ${c.name}'s props or methods take from their own file`);
      continue;
    }
    nested.delete(sub.title);
    problems.push(...checkPropsTable(`${where} #### ${sub.title}`, subTables[0], type.props));
  }
  for (const name of nested.keys()) problems.push(`${where}: nested props type ${name} has no "#### ${name}" subsection`);

  const attributeTables = tablesOf(s.tables, 'attribute');
  problems.push(...checkNameTable(where, 'attribute', attributeTables[0], new Map(c.attributes.map((a) => [a.name, a.type]))));
  const methodTables = tablesOf(s.tables, 'method');
  problems.push(...checkNameTable(where, 'method', methodTables[0], new Map(c.methods.map((m) => [m, undefined]))));
  if (!s.snippets.some((snippet) => snippet.code.includes(`new ${c.name}(`))) problems.push(`${where}: no \`\`\`ts snippet that calls new ${c.name}(`);
  return problems;
}

/**
 * Every difference between the reference and the constructs: missing or duplicate sections, sections of constructs
 * that no longer exist, and per construct the props, nested props types, attributes, methods and the usage snippet.
 */
export function checkConstructReference(markdown: string, constructs: readonly ConstructInfo[]): string[] {
  const { modules } = parseReference(markdown);
  const problems: string[] = [];
  const moduleNames = [...new Set(constructs.map((c) => c.module))];
  for (const name of moduleNames) {
    const sections = modules.filter((m) => m.title === name);
    if (sections.length !== 1) {
      problems.push(`expected one "## \`${name}\`" section, found ${sections.length}`);
      continue;
    }
    const mod = sections[0];
    const ours = constructs.filter((c) => c.module === name);
    for (const s of mod.constructs) {
      if (!ours.some((c) => c.name === s.title)) problems.push(`${name} ### ${s.title} (line ${s.line}): not a construct exported by ${name}`);
    }
    for (const c of ours) {
      const found = mod.constructs.filter((s) => s.title === c.name);
      if (found.length === 0) problems.push(`${name}: construct ${c.name} has no "### ${c.name}" section`);
      else if (found.length > 1) problems.push(`${name}: construct ${c.name} has ${found.length} sections`);
      else problems.push(...checkSection(c, found[0]));
    }
  }
  return problems;
}

/** Every ```ts block of the reference, with its markdown line. */
export function referenceSnippets(markdown: string): Snippet[] {
  return parseReference(markdown).snippets;
}

/** Reads the reference from the repository. */
export function readReference(root: string): string {
  return fs.readFileSync(path.join(root, 'docs', 'CONSTRUCTS.md'), 'utf8');
}

