import type { DiagramNode, NetworkDiagram } from './types';

/** A DOT quoted string: backslashes and quotes escaped, line breaks as centred `\n` (https://graphviz.org/doc/info/lang.html). */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

const NODE_STYLE: Readonly<Record<DiagramNode['kind'], string>> = {
  'internet': 'shape=doubleoctagon, style=filled, fillcolor="#fde2e1", color="#b42318", fontcolor="#7a271a"',
  'cidr': 'shape=box, style="dashed,filled", fillcolor="#f8f9fa", color="#667085"',
  'namespace': 'shape=box, style="rounded,filled", fillcolor="#ffffff", color="#98a2b3"',
  'pods': 'shape=box, style="rounded,filled", fillcolor="#ffffff", color="#344054"',
  'security-group': 'shape=box, style="rounded,filled", fillcolor="#fff8e6", color="#b54708"',
  'aws': 'shape=component, style=filled, fillcolor="#fff8e6", color="#b54708"',
};

/**
 * The Graphviz DOT source of a network diagram: left to right, one `cluster_*` subgraph per zone, nodes and edges
 * in the diagram's (sorted) order, so the same diagram always yields the same text.
 */
export function diagramDot(diagram: NetworkDiagram, title: string): string {
  const lines: string[] = [
    'digraph boundary {',
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.9, labelloc=t, label=${dotString(title)}];`,
    '  node [fontname="Helvetica", fontsize=10, margin="0.12,0.06"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#475467", fontcolor="#344054", arrowsize=0.7];',
  ];
  const nodeLine = (n: DiagramNode, indent: string) => `${indent}${n.id} [label=${dotString(n.label)}, ${NODE_STYLE[n.kind]}];`;
  for (const c of diagram.clusters) {
    const colour = c.defaultDeny === undefined ? 'color="#98a2b3", fillcolor="#f2f4f7"' : c.defaultDeny ? 'color="#2e90fa", fillcolor="#eff8ff"' : 'color="#d92d20", fillcolor="#fef3f2"';
    lines.push(`  subgraph ${c.id} {`);
    lines.push(`    graph [label=${dotString(c.label)}, style="rounded,filled", ${colour}, fontsize=10];`);
    for (const n of diagram.nodes.filter((x) => x.cluster === c.id)) lines.push(nodeLine(n, '    '));
    lines.push('  }');
  }
  for (const n of diagram.nodes.filter((x) => x.cluster === undefined)) lines.push(nodeLine(n, '  '));
  for (const e of diagram.edges) {
    const style = e.public ? ', color="#d92d20", fontcolor="#b42318", penwidth=2' : '';
    lines.push(`  ${e.from} -> ${e.to} [label=${dotString(e.ports.join('\n'))}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
