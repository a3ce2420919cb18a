import { client, type JsonResponse, request, type RequestOptions } from './http';

/** What a browser sends on a same-origin request with the session cookie. */
export function sessionHeaders(url: string, cookie: string): Record<string, string> {
  return { cookie, origin: new URL(url).origin };
}

/** A client that authenticates with a session cookie, as the console in a browser would. */
export function sessionClient(url: string, cookie: string) {
  const call = <T = any>(method: string, path: string, options: RequestOptions = {}): Promise<JsonResponse<T>> =>
    request<T>(url, method, path, { ...options, headers: { ...sessionHeaders(url, cookie), ...options.headers } });
  return {
    cookie,
    get: <T = any>(path: string, options: RequestOptions = {}) => call<T>('GET', path, options),
    post: <T = any>(path: string, body?: unknown, options: RequestOptions = {}) => call<T>('POST', path, { body, ...options }),
    delete: <T = any>(path: string, options: RequestOptions = {}) => call<T>('DELETE', path, options),
  };
}

/** The `name=value` part of a Set-Cookie answer, to send back as a Cookie header. */
export function cookieOf(response: JsonResponse): string {
  const setCookie = response.headers.get('set-cookie');
  if (!setCookie) throw new Error(`No Set-Cookie in the answer (${response.status} ${JSON.stringify(response.body)})`);
  return setCookie.split(';')[0];
}

export const TEST_PASSWORD = 'a long enough test password';

/** Invites a user as admin, accepts the invite with TEST_PASSWORD; the user's id and email. */
export async function createUser(url: string, adminToken: string, user: { email: string; role: string; customerId?: string; language?: string }): Promise<{ id: string; email: string }> {
  const invited = await client(url, adminToken).post('/v1/users', user);
  if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await client(url).post('/v1/users/accept', { invite: invited.body.invite, password: TEST_PASSWORD });
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { id: invited.body.id, email: user.email };
}

/** Signs in and answers a session client. */
export async function signIn(url: string, email: string, password = TEST_PASSWORD) {
  const signedIn = await client(url).post('/v1/session', { email, password });
  if (signedIn.status !== 200) throw new Error(`sign-in: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
  return sessionClient(url, cookieOf(signedIn));
}
