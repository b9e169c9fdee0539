import * as path from 'node:path';
import { analyzeConstructs, type ConstructAnalysis, type ConstructInfo } from './construct-model';
import { checkConstructReference, normalize, readReference, referenceSnippets, tableCells } from './construct-reference';

const ROOT = path.resolve(__dirname, '..', '..');

/** Asserts that the reference has no problem against the constructs (a name the expect-expect rule recognizes). */
function expectNoProblems(problems: readonly string[]): void {
  expect(problems).toEqual([]);
}

/**
 * A snippet that must NOT compile (a misspelt prop), appended to the reference for the analysis only: it proves in the
 * same program that snippets are really type-checked against the sources through the package's import paths.
 */
const CANARY = [
  '```ts',
  "import type { Stack } from 'aws-cdk-lib';",
  "import { BoundaryKey } from 'private-ai-boundary/aws';",
  'declare const stack: Stack;',
  "new BoundaryKey(stack, 'Key', { aliasNme: 'alias/x-boundary' });",
  '```',
].join('\n');

describe('docs/CONSTRUCTS.md against the sources', () => {
  const markdown = readReference(ROOT);
  const referenceLines = markdown.split('\n').length;
  let analysis: ConstructAnalysis;
  // One TypeScript program for both entry points, every snippet and the canary.
  beforeAll(() => {
    analysis = analyzeConstructs(ROOT, referenceSnippets(`${markdown}\n${CANARY}\n`));
  });

  test('finds the constructs of both entry points, the two GpuNodePools apart', () => {
    const names = (module: string) => analysis.constructs.filter((c) => c.module === module).map((c) => c.name);
    // A floor, not the list: new constructs must be documented, which the next test enforces.
    expect(names('private-ai-boundary/aws')).toEqual(expect.arrayContaining([
      'AuditLogArchive', 'BoundaryCluster', 'BoundaryKey', 'BoundaryNetwork', 'BreakGlassRole', 'GatewayState', 'GatewayWebAcl',
      'GpuNodePool', 'KarpenterController', 'LoadBalancerControllerIdentity', 'ModelStore', 'PrivateAiBoundary', 'SecretsStore',
      'SystemNodeGroup', 'TimeBoundGrant', 'WebIdentityRole', 'WorkloadIdentity', 'BoundaryStack',
    ]));
    expect(names('private-ai-boundary')).toEqual(expect.arrayContaining([
      'BoundaryChart', 'BoundaryNamespaces', 'BoundaryNetworkPolicies', 'ExposurePolicy', 'BoundarySecrets', 'GatewayReconcile',
      'GpuNodePool', 'LlmGateway', 'ModelRuntime', 'Presidio', 'PrivilegedAccess', 'TeamAccess',
    ]));
    // Non-construct classes of the entry points (Boundary, SpecError, BoundaryNames) are not constructs.
    expect(names('private-ai-boundary')).not.toContain('Boundary');
    const aws = analysis.constructs.find((c) => c.module === 'private-ai-boundary/aws' && c.name === 'GpuNodePool')!;
    const k8s = analysis.constructs.find((c) => c.module === 'private-ai-boundary' && c.name === 'GpuNodePool')!;
    expect(aws.props.map((p) => p.name)).toContain('instanceTypes');
    expect(k8s.props.map((p) => p.name)).toEqual(['plan', 'pool']);
  });

  test('inherited props: declared in this repository must be documented, aws-cdk-lib / cdk8s ones may be', () => {
    const stack = analysis.constructs.find((c) => c.name === 'BoundaryStack')!;
    expect(stack.props.filter((p) => !p.external).map((p) => p.name)).toEqual(['plan']);
    expect(stack.props.filter((p) => p.external).map((p) => p.name)).toEqual(expect.arrayContaining(['env', 'stackName', 'terminationProtection']));
  });

  test('every construct has a section with all its props, nested props types, attributes and methods, and nothing that does not exist', () => {
    expectNoProblems(checkConstructReference(markdown, analysis.constructs));
  });

  test('every TypeScript snippet compiles against the sources', () => {
    const ofReference = analysis.snippetDiagnostics.filter((d) => d.line <= referenceLines);
    expect(ofReference.map((d) => `docs/CONSTRUCTS.md:${d.line}: ${d.message}`)).toEqual([]);
  });

  test('a snippet that does not compile is reported (the canary)', () => {
    const ofCanary = analysis.snippetDiagnostics.filter((d) => d.line > referenceLines);
    expect(ofCanary).toEqual([{ line: referenceLines + 5, message: expect.stringContaining("'aliasNme' does not exist in type 'BoundaryKeyProps'") }]);
  });
});

describe('the checker fails when the reference is wrong', () => {
  const prop = (name: string, extra: Partial<ConstructInfo['props'][number]> = {}) =>
    ({ name, type: 'string', optional: false, external: false, ...extra });
  const widget: ConstructInfo = {
    module: 'private-ai-boundary/aws',
    name: 'Widget',
    propsType: 'WidgetProps',
    props: [prop('name'), prop('sizeGiB', { type: 'number', optional: true, defaultText: '20' }), prop('env', { type: 'Environment', optional: true, external: true })],
    nestedTypes: [{ name: 'WidgetPart', props: [prop('kind', { type: "'a' | 'b'" })] }],
    attributes: [{ name: 'bucket', type: 's3.IBucket' }],
    methods: ['grantRead'],
  };
  const gadget: ConstructInfo = { ...widget, module: 'private-ai-boundary', name: 'Gadget', propsType: 'GadgetProps', props: [prop('plan', { type: 'BoundaryPlan' })], nestedTypes: [], attributes: [], methods: [] };

  const reference = (widgetRows: string) => `# Reference

## \`private-ai-boundary/aws\`

### Widget

Props: \`WidgetProps\`

| prop | type | default | description |
|---|---|---|---|
${widgetRows}

#### WidgetPart

| prop | type | default | description |
|---|---|---|---|
| \`kind\` | \`'a' \\| 'b'\` | *required* | The kind. |

| attribute | type | description |
|---|---|---|
| \`bucket\` | \`s3.IBucket\` | The bucket. |

| method | description |
|---|---|
| \`grantRead(role)\` | Reads. |

\`\`\`ts
new Widget(stack, 'W', { name: 'w' });
\`\`\`

## \`private-ai-boundary\`

### Gadget

Props: \`GadgetProps\`

| prop | type | default | description |
|---|---|---|---|
| \`plan\` | \`BoundaryPlan\` | *required* | The plan. |

\`\`\`ts
new Gadget(chart, 'g', { plan });
\`\`\`
`;
  const complete = [
    '| `name` | `string` | *required* | Its name. |',
    '| `sizeGiB` | `number` | `20` | Its size. |',
  ].join('\n');

  test('a complete reference passes (external props may be left out)', () => {
    expectNoProblems(checkConstructReference(reference(complete), [widget, gadget]));
  });

  test('a prop missing from the table is reported', () => {
    expect(checkConstructReference(reference('| `name` | `string` | *required* | Its name. |'), [widget, gadget]))
      .toEqual(['private-ai-boundary/aws ### Widget (line 5): prop "sizeGiB" is not documented']);
  });

  test('a prop that does not exist, a wrong type, a wrong default and a wrong required marker are reported', () => {
    const problems = checkConstructReference(reference([
      '| `name` | `number` | `x` | Its name. |',
      '| `sizeGiB` | `number` | `30` | Its size. |',
      '| `colour` | `string` | *required* | Gone. |',
    ].join('\n')), [widget, gadget]);
    expect(problems).toEqual([
      'private-ai-boundary/aws ### Widget (line 5), line 11: prop "name" has type `string`, the table says `number`',
      'private-ai-boundary/aws ### Widget (line 5), line 11: prop "name" is required: its default cell must be *required*',
      'private-ai-boundary/aws ### Widget (line 5), line 12: prop "sizeGiB" defaults to "20" (JSDoc @default), the table says "30"',
      'private-ai-boundary/aws ### Widget (line 5), line 13: prop "colour" does not exist',
    ]);
  });

  test('an undocumented construct, a stale section, a missing nested type, attribute, method and snippet are reported', () => {
    const extra: ConstructInfo = { ...gadget, name: 'Gizmo', propsType: 'GizmoProps' };
    const changed: ConstructInfo = {
      ...widget,
      nestedTypes: [...widget.nestedTypes, { name: 'WidgetLimits', props: [] }],
      attributes: [...widget.attributes, { name: 'role', type: 'iam.IRole' }],
      methods: [...widget.methods, 'grantWrite'],
    };
    const markdown = reference(complete).replace("new Gadget(chart, 'g', { plan });", 'gadget();');
    expect(checkConstructReference(markdown, [changed, extra])).toEqual([
      'private-ai-boundary/aws ### Widget (line 5): nested props type WidgetLimits has no "#### WidgetLimits" subsection',
      'private-ai-boundary/aws ### Widget (line 5): attribute "role" is not documented',
      'private-ai-boundary/aws ### Widget (line 5): method "grantWrite" is not documented',
      'private-ai-boundary ### Gadget (line 34): not a construct exported by private-ai-boundary',
      'private-ai-boundary: construct Gizmo has no "### Gizmo" section',
    ]);
    expect(checkConstructReference(markdown, [widget, gadget])).toEqual(['private-ai-boundary ### Gadget (line 34): no ```ts snippet that calls new Gadget(']);
  });

  test('the same class name is checked per entry point: a section under the wrong ## does not count', () => {
    const awsOnly = reference(complete).replace('## `private-ai-boundary`\n', '');
    expect(checkConstructReference(awsOnly, [widget, gadget])).toEqual([
      'private-ai-boundary/aws ### Gadget (line 33): not a construct exported by private-ai-boundary/aws',
      'expected one "## `private-ai-boundary`" section, found 0',
    ]);
  });

  test('table cells keep escaped pipes; normalization ignores backticks, entities, spacing and a leading "- "', () => {
    expect(tableCells("| `kind` | `'a' \\| 'b'` | *required* |")).toEqual(['`kind`', "`'a' | 'b'`", '*required*']);
    expect(normalize('- the `stack`\'s role &lt;x&gt;,\n  else none')).toBe("the stack's role <x>, else none");
  });
});
