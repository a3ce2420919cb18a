import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorCode } from '@seatlock/shared';

class ErrorBody {
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), description: 'Stable; branch on it, never on the message' })
  code!: ErrorCode;

  @ApiProperty()
  message!: string;
}

/** Every failure's answer: `{error: {code, message}}`. */
export class ErrorResponse {
  @ApiProperty({ type: ErrorBody })
  error!: ErrorBody;
}

/**
 * Documents the error codes a route answers with, grouped by their HTTP status, each with the
 * error body's schema, so a generated client knows every failure it must handle.
 */
export function ApiErrors(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return applyDecorators(
    ApiExtraModels(ErrorResponse),
    ...[...byStatus].map(([status, group]) =>
      // The content type is named: a route answering text (a license file) still fails in JSON.
      ApiResponse({ status, description: group.join(', '), content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) } } } }),
    ),
  );
}

/** The codes of every route that needs a principal. */
export const AUTH_ERRORS: ErrorCode[] = ['UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED'];

/** A page of `item`s, as lists answer: `{items, total, nextCursor}` (see `findPage`). */
export function PageOf<T>(item: Type<T>): Type<{ items: T[]; total: number | null; nextCursor: string | null }> {
  class Page {
    @ApiProperty({ type: [item] })
    items!: T[];

    @ApiProperty({ type: Number, nullable: true, description: 'Rows matching the filter, over all pages; null on a page asked for by cursor (not counted)' })
    total!: number | null;

    @ApiProperty({ type: String, nullable: true, description: 'Give it as `cursor` for the next page; null on the last page' })
    nextCursor!: string | null;
  }
  Object.defineProperty(Page, 'name', { value: `${item.name}Page` });
  return Page;
}
