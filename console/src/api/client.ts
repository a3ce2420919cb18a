import type { ErrorResponse } from './schema';

/** A failed request: the contract's error code and message, or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Called when the server answers 401: the session ended (signed out elsewhere, expired). */
let onSessionEnded: () => void = () => {};
export function whenSessionEnds(callback: () => void): void {
  onSessionEnded = callback;
}

async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch (failure) {
    throw new ApiError(0, 'NETWORK_ERROR', String(failure));
  }
  if (response.ok) return response;
  const answer = (await response.json().catch(() => undefined)) as ErrorResponse | undefined;
  const error = new ApiError(response.status, answer?.error?.code ?? 'INTERNAL_ERROR', answer?.error?.message ?? `HTTP ${response.status}`);
  // Sign-in's own 401 is a wrong password; /v1/me's is how the console learns nobody is signed in.
  if (response.status === 401 && path !== '/v1/session' && path !== '/v1/me') onSessionEnded();
  throw error;
}

/** A JSON request to the API, typed by the caller with a model from `./schema`. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  // 204 (a deletion) has no body.
  return (response.status === 204 ? undefined : response.json()) as Promise<T>;
}

/** A text answer (license files); a text body when given (an offline activation request). */
export async function apiText(path: string, body?: string): Promise<string> {
  return (await send(body === undefined ? 'GET' : 'POST', path, body, 'text/plain')).text();
}

/** A query string from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** How often what changes under the viewer (seat counts, the review queue) is asked for again while the page is shown. */
export const LIVE_REFRESH_MS = 10_000;
