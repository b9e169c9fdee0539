import { formatJson } from './format-json';
import { formatMarkdown, type MarkdownFormatOptions } from './format-md';
import { formatSarif, type SarifFormatOptions } from './format-sarif';
import { formatText, type TextFormatOptions } from './format-text';
import type { DiffReport } from './review';

/** Output formats of `pab diff --format`. */
export const DIFF_FORMATS = ['text', 'json', 'md', 'sarif'] as const;
/** One output format. */
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Options of every renderer (each reads its own). */
export type DiffFormatOptions = TextFormatOptions & MarkdownFormatOptions & SarifFormatOptions;

/** Renders a report in one of DIFF_FORMATS. */
export function formatDiff(report: DiffReport, format: DiffFormat = 'text', options: DiffFormatOptions = {}): string {
  switch (format) {
    case 'text': return formatText(report, options);
    case 'json': return formatJson(report);
    case 'md': return formatMarkdown(report, options);
    case 'sarif': return formatSarif(report, options);
    default: {
      const never: never = format;
      throw new Error(`unknown diff format ${String(never)}`);
    }
  }
}
