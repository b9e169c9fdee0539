/**
 * The constructs a user of the package sees, read with the TypeScript compiler API.
 *
 * {@link analyzeConstructs} builds ONE program for both package entry points (`lib/aws/index.ts`, imported as
 * `private-ai-boundary/aws`, and `lib/index.ts`, imported as `private-ai-boundary`) plus the TypeScript snippets of the
 * reference, and returns for each exported class that derives (directly or indirectly) from Construct, Chart or Stack:
 * the props interface (the constructor's third parameter) with its inherited members, each member's declared type and
 * JSDoc `@default`, the interfaces declared in the same file that the props or public methods take (nested props
 * types), and the public attributes and methods — plus the compile errors of every snippet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** One member of a props interface (or nested props type). */
export interface PropInfo {
  readonly name: string;
  /** The declared type as written, e.g. `readonly ec2.ISubnet[]`. */
  readonly type: string;
  readonly optional: boolean;
  /** JSDoc `@default` text on one line, when present. */
  readonly defaultText?: string;
  /** Declared outside this repository (e.g. aws-cdk-lib `StackProps`): documenting it is optional. */
  readonly external: boolean;
}

/** A props-like interface documented under its own `####` heading. */
export interface NestedTypeInfo {
  readonly name: string;
  readonly props: readonly PropInfo[];
}

/** A public attribute (property or getter) of a construct. */
export interface AttributeInfo {
  readonly name: string;
  readonly type: string;
}

/** Everything the reference states about one exported construct. */
export interface ConstructInfo {
  /** Import path: `private-ai-boundary/aws` or `private-ai-boundary`. */
  readonly module: string;
  readonly name: string;
  /** Name of the props interface (type of the constructor's third parameter); empty when there is none. */
  readonly propsType: string;
  readonly props: readonly PropInfo[];
  readonly nestedTypes: readonly NestedTypeInfo[];
  readonly attributes: readonly AttributeInfo[];
  readonly methods: readonly string[];
}

/** A fenced TypeScript block of the reference, compiled with the entry points. */
export interface Snippet {
  /** 1-based line of the first code line in the markdown. */
  readonly line: number;
  readonly code: string;
}

/** A compile error of a snippet. */
export interface SnippetDiagnostic {
  /** 1-based line in the markdown. */
  readonly line: number;
  readonly message: string;
}

/** The constructs of the entry points and the compile errors of the reference's snippets. */
export interface ConstructAnalysis {
  readonly constructs: readonly ConstructInfo[];
  readonly snippetDiagnostics: readonly SnippetDiagnostic[];
}

/** An entry point of the package. */
export interface EntryPoint {
  /** Import path users write. */
  readonly module: string;
  /** Source file, relative to the repository root. */
  readonly file: string;
}

/** The package's entry points (package.json `exports`), in the order the reference documents them. */
export const ENTRY_POINTS: readonly EntryPoint[] = [
  { module: 'private-ai-boundary/aws', file: 'lib/aws/index.ts' },
  { module: 'private-ai-boundary', file: 'lib/index.ts' },
];

/** Base classes (and the packages declaring them) that make an exported class a construct. */
const CONSTRUCT_BASES: ReadonlyArray<{ name: string; pkg: string }> = [
  { name: 'Construct', pkg: 'constructs' },
  { name: 'Chart', pkg: 'cdk8s' },
  { name: 'Stack', pkg: 'aws-cdk-lib' },
];

const inNodeModules = (file: string) => /[\\/]node_modules[\\/]/.test(file);

/**
 * Whether `type` (a class instance type) derives from Construct, Chart or Stack. Throws when a base class in the chain
 * cannot be resolved: a construct must never be skipped because the program did not load its base.
 */
function isConstructClass(checker: ts.TypeChecker, type: ts.Type): boolean {
  const seen = new Set<ts.Type>();
  const visit = (t: ts.Type): boolean => {
    if (seen.has(t)) return false;
    seen.add(t);
    const decl = t.symbol?.declarations?.find(ts.isClassDeclaration);
    const file = decl?.getSourceFile().fileName.replace(/\\/g, '/') ?? '';
    if (CONSTRUCT_BASES.some((b) => t.symbol?.name === b.name && file.includes(`node_modules/${b.pkg}/`))) return true;
    if (!decl || !t.isClassOrInterface()) return false;
    const base = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const bases = checker.getBaseTypes(t) ?? [];
    if (base && !bases.some((b) => b.symbol !== undefined)) {
      throw new Error(`${t.symbol.name} (${file}) extends ${base.getText()}, which the program could not resolve`);
    }
    return bases.some(visit);
  };
  return visit(type);
}

/** The JSDoc `@default` of a declaration, as one line. */
function defaultOf(decl: ts.Declaration): string | undefined {
  const tag = ts.getJSDocTags(decl).find((t) => t.tagName.text === 'default');
  if (!tag) return undefined;
  return (ts.getTextOfJSDocComment(tag.comment) ?? '').replace(/\s+/g, ' ').trim();
}

/** Declared type text of a member: the annotation as written, else what the checker infers. */
function declaredType(checker: ts.TypeChecker, symbol: ts.Symbol, decl: ts.Declaration): string {
  if ((ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) && decl.type) return decl.type.getText();
  if (ts.isGetAccessorDeclaration(decl) && decl.type) return decl.type.getText();
  return checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, decl));
}

/** Members of a props interface, inherited ones included. */
function propsOf(checker: ts.TypeChecker, type: ts.Type): PropInfo[] {
  return checker.getPropertiesOfType(type).map((symbol) => {
    const decl = symbol.declarations?.[0];
    if (!decl) throw new Error(`props member ${symbol.name} has no declaration`);
    return {
      name: symbol.name,
      type: declaredType(checker, symbol, decl),
      optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0,
      defaultText: defaultOf(decl),
      external: inNodeModules(decl.getSourceFile().fileName),
    };
  });
}

/** Interfaces declared in `files` that the given type nodes reference, transitively through their members. */
function nestedInterfaces(checker: ts.TypeChecker, roots: readonly ts.Node[], files: ReadonlySet<string>, exclude: string): NestedTypeInfo[] {
  const found = new Map<string, ts.InterfaceDeclaration>();
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) {
      let symbol = checker.getSymbolAtLocation(node.typeName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.declarations?.find(ts.isInterfaceDeclaration);
      if (decl && files.has(decl.getSourceFile().fileName) && decl.name.text !== exclude && !found.has(decl.name.text)) {
        found.set(decl.name.text, decl);
        decl.members.forEach(visit);
        decl.heritageClauses?.forEach(visit);
      }
    }
    ts.forEachChild(node, visit);
  };
  roots.forEach(visit);
  return [...found.values()].map((decl) => ({ name: decl.name.text, props: propsOf(checker, checker.getTypeAtLocation(decl)) }));
}

const isPublic = (decl: ts.Declaration) =>
  !(ts.getCombinedModifierFlags(decl) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Static))
  && !(ts.isClassElement(decl) && decl.name !== undefined && ts.isPrivateIdentifier(decl.name));

/** The model of one exported construct class. */
function constructInfo(checker: ts.TypeChecker, module: string, exportName: string, classSymbol: ts.Symbol): ConstructInfo {
  const decl = classSymbol.declarations!.find(ts.isClassDeclaration)!;
  const staticType = checker.getTypeOfSymbolAtLocation(classSymbol, decl);
  const [signature] = staticType.getConstructSignatures();
  const paramDecl = signature?.getParameters()[2]?.valueDeclaration;
  if (paramDecl && (!ts.isParameter(paramDecl) || !paramDecl.type)) throw new Error(`${module} ${exportName}: the props parameter has no declared type`);
  const propsTypeNode = paramDecl && ts.isParameter(paramDecl) ? paramDecl.type : undefined;
  const propsType = propsTypeNode && checker.getNonNullableType(checker.getTypeAtLocation(propsTypeNode));
  const propsDecl = propsType?.symbol?.declarations?.[0];
  const props = propsType ? propsOf(checker, propsType) : [];

  // Public members of the class and of its bases declared in this repository (Construct's `node` is not ours).
  const members = checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(classSymbol)).filter((m) => {
    const d = m.declarations?.[0];
    return d !== undefined && !inNodeModules(d.getSourceFile().fileName) && isPublic(d);
  });
  const attributes: AttributeInfo[] = [];
  const methods: string[] = [];
  const methodParams: ts.Node[] = [];
  for (const m of members) {
    const d = m.declarations![0];
    if (ts.isMethodDeclaration(d)) {
      methods.push(m.name);
      methodParams.push(...d.parameters);
    } else {
      attributes.push({ name: m.name, type: declaredType(checker, m, d) });
    }
  }
  const files = new Set([decl.getSourceFile().fileName, ...(propsDecl ? [propsDecl.getSourceFile().fileName] : [])]);
  const roots: ts.Node[] = [...(propsDecl && ts.isInterfaceDeclaration(propsDecl) ? [...propsDecl.members] : []), ...methodParams];
  return {
    module,
    name: exportName,
    propsType: propsTypeNode?.getText() ?? '',
    props,
    nestedTypes: nestedInterfaces(checker, roots, files, propsTypeNode?.getText() ?? ''),
    attributes,
    methods,
  };
}

/** Virtual file name of snippet `i` (under docs/ so diagnostics point near the reference). */
const snippetFile = (root: string, i: number) => path.join(root, 'docs', `CONSTRUCTS.md.snippet-${i}.ts`);

/**
 * Packages the program does not load: the Pulumi component has its own entry point (`private-ai-boundary/pulumi`),
 * outside this reference; `lib/index.ts` reaches it only through the target registry. @pulumi/kubernetes alone is
 * ~10 MB of declarations.
 */
const UNLOADED_PACKAGES = /^@pulumi\//;

/** `aws-cdk-lib` modules the program always loads: `core` (what the root index re-exports) and the shared `interfaces`. */
const CDK_BASE_MODULES = ['core', 'interfaces'];

/** Source files of the repository's library code (what the entry points can reach), recursively. */
function librarySources(root: string): string[] {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [path.join(dir, e.name)] : []);
  return ['lib', 'charts', 'stacks'].flatMap((d) => (fs.existsSync(path.join(root, d)) ? walk(path.join(root, d)) : []));
}

/** `aws-cdk-lib` modules (`aws-s3`, …) that `sources` import themselves. */
function cdkModulesImportedBy(sources: readonly string[]): Set<string> {
  const modules = new Set(CDK_BASE_MODULES);
  for (const text of sources) {
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      const m = /^aws-cdk-lib\/([^/]+)/.exec(imported.fileName);
      if (m) modules.add(m[1]);
    }
  }
  return modules;
}

/**
 * One program for both entry points and every snippet. Module resolution maps the package's own import
 * paths to its sources (what `exports` in package.json maps to the build). To stay fast (≈ 4 s instead of ≈ 15 s),
 * it loads of `aws-cdk-lib` only the modules the library or a snippet imports itself: the root index (which
 * re-exports all ~300 service modules) resolves to `core`, where everything imported from the root lives, and an
 * import from inside a package into any other `aws-cdk-lib` module (aws-events-targets → ecs, sagemaker, …) is left
 * unresolved — declarations are not type-checked (`skipLibCheck`), and every type a construct's props, attributes
 * or a snippet names comes from a module that is loaded. Base classes are resolved strictly: a class whose base
 * the program cannot resolve makes the analysis throw rather than drop the class.
 */
export function analyzeConstructs(root: string, snippets: readonly Snippet[], entryPoints: readonly EntryPoint[] = ENTRY_POINTS): ConstructAnalysis {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  // Snippets are examples: unused names are fine. No emit, no ambient @types: nothing the reference shows needs them.
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false, types: [] };

  const virtual = new Map(snippets.map((s, i) => [snippetFile(root, i), s]));
  const loadedCdkModules = cdkModulesImportedBy([...librarySources(root).map((f) => fs.readFileSync(f, 'utf8')), ...snippets.map((s) => s.code)]);
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) => {
    const snippet = virtual.get(path.resolve(file));
    return snippet ? ts.createSourceFile(file, snippet.code, language, true) : getSourceFile.call(host, file, language, ...rest);
  };
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(path.resolve(file))?.code ?? readFile.call(host, file);
  const ownModules = new Map(entryPoints.map((e) => [e.module, path.join(root, e.file)]));
  const cdkCore = path.join(root, 'node_modules', 'aws-cdk-lib', 'core', 'index.d.ts');
  const unresolved: ts.ResolvedModuleWithFailedLookupLocations = { resolvedModule: undefined };
  host.resolveModuleNameLiterals = (literals, containing, redirected, opts) => literals.map((literal) => {
    const own = ownModules.get(literal.text);
    if (own) return { resolvedModule: { resolvedFileName: own, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
    if (UNLOADED_PACKAGES.test(literal.text)) return unresolved;
    const resolved = ts.resolveModuleName(literal.text, containing, opts, host, undefined, redirected);
    const file = resolved.resolvedModule?.resolvedFileName ?? '';
    if (/node_modules[\\/]aws-cdk-lib[\\/]index\.d\.ts$/.test(file)) return { resolvedModule: { ...resolved.resolvedModule!, resolvedFileName: cdkCore } };
    const cdkModule = /node_modules[\\/]aws-cdk-lib[\\/]([^\\/]+)[\\/]/.exec(file)?.[1];
    if (cdkModule && inNodeModules(containing) && !loadedCdkModules.has(cdkModule)) return unresolved;
    return resolved;
  });

  const program = ts.createProgram([...entryPoints.map((e) => path.join(root, e.file)), ...virtual.keys()], options, host);
  const checker = program.getTypeChecker();
  const constructs: ConstructInfo[] = [];
  for (const entry of entryPoints) {
    const source = program.getSourceFile(path.join(root, entry.file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${entry.file}: not a module of the program`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & ts.SymbolFlags.Class)) continue;
      if (!isConstructClass(checker, checker.getDeclaredTypeOfSymbol(symbol))) continue;
      constructs.push(constructInfo(checker, entry.module, exported.name, symbol));
    }
  }

  const snippetDiagnostics: SnippetDiagnostic[] = [];
  for (const [file, snippet] of virtual) {
    const source = program.getSourceFile(file)!;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
      snippetDiagnostics.push({ line: snippet.line + line, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') });
    }
  }
  return { constructs, snippetDiagnostics };
}
