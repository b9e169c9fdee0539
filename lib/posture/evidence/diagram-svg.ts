import { instance, type Viz } from '@viz-js/viz';

let viz: Promise<Viz> | undefined;

/**
 * Renders DOT to SVG offline with Graphviz compiled to WebAssembly (@viz-js/viz; the module embeds the wasm, so
 * nothing is fetched), cleaned for inlining in HTML: no XML prolog, DOCTYPE, generator comment or namespace
 * declarations (an `<svg>` in HTML needs none), so the report holds no URL and its bytes do not depend on the
 * Graphviz build that wrote them beyond the layout itself.
 */
export async function renderDiagramSvg(dot: string): Promise<string> {
  viz ??= instance();
  const svg = (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
  return inlineSvg(svg);
}

/** Strips what an inline `<svg>` does not need (exported for tests). */
export function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  if (start < 0) throw new Error('internal: Graphviz returned no <svg> element');
  return svg
    .slice(start)
    .replace(/<!--[\s\S]*?-->\n?/g, '')
    .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
    .trim();
}
