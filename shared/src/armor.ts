/**
 * Text armor for artifacts that travel by copy/paste, e-mail or USB stick:
 * `-----BEGIN <LABEL>-----`, the body wrapped at 64 columns, `-----END <LABEL>-----`.
 */
export function armor(label: string, body: string): string {
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * The body inside an armored block, whitespace removed; null when the text holds no such block.
 * Text around the block (a mail signature, a shell prompt) is ignored.
 */
export function dearmor(label: string, text: string): string | null {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start + begin.length);
  if (start < 0 || stop < 0) return null;
  // Only the whitespace that mail and editors add; anything else is a damaged body.
  return text.slice(start + begin.length, stop).replace(/[ \t\r\n]+/g, '');
}
