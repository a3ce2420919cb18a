import { applyDecorators, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import type { Page } from './paging';

type Cell = string | number | boolean | null | undefined;

/** Rows asked for at once while exporting: one page is all an export holds in memory. */
export const EXPORT_PAGE_ROWS = 500;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A text beginning
 * with = + - @ or a tab is prefixed with ' so a spreadsheet shows it rather than running it as a
 * formula (a customer or token name is typed by people).
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A list as CSV, streamed: the header, then each page of `pageAt` (followed by its cursor) turned
 * into lines, one page in memory at a time, so a million rows never sit in memory together. The
 * first page is read before anything is sent, so a refused filter (another customer's id) answers
 * with its error status rather than breaking a stream already begun.
 *
 * @example new StreamableFile(await csvStream(['id'], (cursor) => service.list({ cursor, limit: EXPORT_PAGE_ROWS }), (row) => [row.id]))
 */
export async function csvStream<T>(header: readonly string[], pageAt: (cursor: string | undefined) => Promise<Page<T>>, cells: (item: T) => readonly Cell[]): Promise<Readable> {
  const first = await pageAt(undefined);
  async function* lines(): AsyncGenerator<string> {
    yield `${header.map(csvField).join(',')}\r\n`;
    let page = first;
    for (;;) {
      if (page.items.length > 0) yield page.items.map((item) => `${cells(item).map(csvField).join(',')}\r\n`).join('');
      if (!page.nextCursor) return;
      page = await pageAt(page.nextCursor);
    }
  }
  return Readable.from(lines());
}

/** The answer of an export route: the CSV stream as a download named `filename`. */
export function csvFile(filename: string, stream: Readable): StreamableFile {
  return new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${filename}"` });
}

/** Documents an export route: a CSV download with the filters of its list. */
export function ApiCsv(what: string) {
  return applyDecorators(ApiProduces('text/csv'), ApiOkResponse({ description: `${what} as CSV, streamed page by page (UTF-8, CRLF lines, a header row)`, content: { 'text/csv': { schema: { type: 'string' } } } }));
}
