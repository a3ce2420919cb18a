import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    serverStartMs: number;
  }
}

/**
 * How long one start of the compiled server may take on a loaded machine (vitest.config.mts
 * says how it was measured). A test that starts several servers takes this times their number.
 */
export const SERVER_START_MS = inject('serverStartMs');
