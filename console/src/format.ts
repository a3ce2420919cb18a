import { currentLanguage, i18n } from './i18n';

/** Intl formatters of the chosen language, made once per language. */
const formatters = new Map<string, { money: Intl.NumberFormat; count: Intl.NumberFormat; dateTime: Intl.DateTimeFormat }>();
function formattersOf(language: string) {
  let found = formatters.get(language);
  if (!found) {
    found = {
      money: new Intl.NumberFormat(language, { style: 'currency', currency: 'CNY', maximumFractionDigits: 2 }),
      count: new Intl.NumberFormat(language),
      dateTime: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }),
    };
    formatters.set(language, found);
  }
  return found;
}

/** An amount in fen (the API's exact money) as CNY in the chosen language: 11800000 → `CN¥118,000.00` (en), `¥118,000.00` (zh-CN). */
export function formatMoney(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? i18n.t('common.negotiated') : formattersOf(currentLanguage()).money.format(fen / 100);
}

export function formatCount(value: number): string {
  return formattersOf(currentLanguage()).count.format(value);
}

/** A timestamp in the viewer's time zone, written the chosen language's way. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? formattersOf(currentLanguage()).dateTime.format(new Date(iso)) : '—';
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
