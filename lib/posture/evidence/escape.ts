/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Escapes prose for Markdown: characters that start emphasis, code, links or tables are backslash-escaped, `<` (inline
 * HTML) and `&` before an entity name are written as entities, a leading block marker (`#`, `-`, `1.`, `>`) is
 * escaped, and line breaks become spaces, so text from the artifacts never turns into markup
 * (https://spec.commonmark.org/0.31.2/#backslash-escapes).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&(?=#?[a-zA-Z0-9]+;)/g, '&amp;').replace(/</g, '&lt;')
    .replace(/^(\s*)([#+=>-]|\d+[.)])(?=\s|$)/, '$1\\$2');
}

/** A Markdown code span that holds any text: a fence longer than any backtick run inside, pipes escaped for tables. */
export function markdownCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A fenced code block that holds any text (a fence longer than any backtick run inside). */
export function markdownFence(text: string, info = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text.replace(/\n$/, '')}\n${fence}`;
}
