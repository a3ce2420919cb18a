import { assertDocumented } from './openapi-contract';

/** A JSON answer: status, headers and the parsed body (or the text when it is not JSON). */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One HTTP call with a JSON body and a bearer token when given; never throws on a 4xx/5xx. */
export async function request<T = any>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string') {
      body = options.body;
      headers['content-type'] ??= 'text/plain';
    } else {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  const url = new URL(path, baseUrl);
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if (response.headers.get('content-type')?.includes('application/json')) parsed = JSON.parse(text);
  await assertDocumented(url, method, response.status, response.headers.get('content-type'), parsed);
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** A client bound to a server URL and (optionally) a token. */
export function client(baseUrl: string, token?: string) {
  return {
    get: <T = any>(path: string, options: RequestOptions = {}) => request<T>(baseUrl, 'GET', path, { token, ...options }),
    post: <T = any>(path: string, body?: unknown, options: RequestOptions = {}) => request<T>(baseUrl, 'POST', path, { token, body, ...options }),
    patch: <T = any>(path: string, body?: unknown, options: RequestOptions = {}) => request<T>(baseUrl, 'PATCH', path, { token, body, ...options }),
    delete: <T = any>(path: string, options: RequestOptions = {}) => request<T>(baseUrl, 'DELETE', path, { token, ...options }),
  };
}
