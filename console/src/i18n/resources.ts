import { en } from './en';
import { zhCN } from './zh-CN';

/** The console's languages, each with its catalog; the first is the fallback. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export const RESOURCES = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

/** The language for a browser's list of preferred languages (`navigator.languages`): the first Chinese or English one, else English. */
export function languageFor(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}
