import { SeatlockError } from '@seatlock/shared';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** No body of the contract nests deeper than a few levels; validation walks bodies recursively. */
export const MAX_JSON_DEPTH = 32;

/** Whether JSON text nests objects and arrays deeper than `max` (brackets inside strings do not count). One pass, no parse. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * JSON bodies are parsed by Fastify's own parser (which refuses `__proto__` and `constructor`
 * keys), after a check that they nest no deeper than MAX_JSON_DEPTH: a body nested thousands
 * deep overflowed the stack of the validation that walks it (a 500).
 */
export function limitJsonDepth(app: NestFastifyApplication): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', {}, (request, body, done) => {
    const text = body.toString('utf8');
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(new SeatlockError('INVALID_REQUEST', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
      return;
    }
    parse(request as Parameters<typeof parse>[0], text, done);
  });
}
