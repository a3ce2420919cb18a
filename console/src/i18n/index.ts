import i18next, { type TFunction } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { type Language, LANGUAGES, languageFor, RESOURCES } from './resources';

export { LANGUAGES, type Language } from './resources';

/** Where the viewer's choice is kept, so it outlives the session and the browser's own preference. */
const STORED = 'seatlock.language';

function stored(): Language | null {
  const value = localStorage.getItem(STORED);
  return LANGUAGES.find((language) => language === value) ?? null;
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: RESOURCES,
  lng: stored() ?? languageFor(navigator.languages ?? [navigator.language]),
  fallbackLng: LANGUAGES[0],
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  initAsync: false,
});

// The page's language follows the chosen one: screen readers, hyphenation and fonts read it.
const markPage = (language: string) => {
  document.documentElement.setAttribute('lang', language);
  document.title = i18n.t('shell.documentTitle');
};
markPage(i18n.language);
i18n.on('languageChanged', markPage);

/** The chosen language; `Intl` formats in it. */
export function currentLanguage(): Language {
  return (LANGUAGES.find((language) => language === i18n.language) ?? LANGUAGES[0]) as Language;
}

/** Switches the console's language and remembers the choice in this browser. */
export function chooseLanguage(language: Language): void {
  localStorage.setItem(STORED, language);
  void i18n.changeLanguage(language);
}

/** The translation function; a component using it shows again in a newly chosen language. */
export function useT(): TFunction {
  return useTranslation().t;
}

export type { TFunction };
