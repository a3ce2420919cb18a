const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'CNY', maximumFractionDigits: 2 });
const count = new Intl.NumberFormat();
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An amount in fen (the API's exact money) as CNY in the viewer's locale: 11800000 → `CN¥118,000.00`. */
export function formatMoney(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? 'negotiated' : money.format(fen / 100);
}

export function formatCount(value: number): string {
  return count.format(value);
}

/** A timestamp in the viewer's time zone. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** Saves text as a file through the browser's download. */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
