import { parseCookie, stringifySetCookie } from 'cookie';

export const SESSION_COOKIE = 'seatlock_session';

/** The session token a request's Cookie header carries, if any. */
export function readSessionCookie(header: string | undefined): string | undefined {
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

/**
 * The Set-Cookie value of a session: out of scripts' reach (HttpOnly), never sent by another
 * site's request (SameSite=Strict), TLS-only when the server is reached over TLS. `maxAgeSeconds`
 * 0 deletes it.
 */
export function sessionSetCookie(token: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return stringifySetCookie({ name: SESSION_COOKIE, value: token, httpOnly: true, sameSite: 'strict', secure: options.secure, path: '/', maxAge: options.maxAgeSeconds });
}
