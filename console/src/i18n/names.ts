import type { TFunction } from 'i18next';

/** The groups of API values (slugs, statuses, roles) that the catalogs give display names. */
export type NameGroup = 'products' | 'features' | 'modalities' | 'platforms' | 'statuses' | 'roles' | 'poolKinds';

/**
 * The display name of an API value in the chosen language: `face.best-shot` → "Best-shot selection".
 * The value stays the API's; a value the catalog does not know yet (a newer server) shows as it is.
 */
export function nameOf(t: TFunction, group: NameGroup, value: string): string {
  // By the group's table: slugs hold dots (`face.best-shot`), which a key path would split.
  const names = t(group, { returnObjects: true }) as Record<string, string>;
  return names[value] ?? value;
}

/** A contract error code (`MODALITY_REQUIRED`) as a sentence in the chosen language; an unknown code is named in a general one. */
export function errorSentence(t: TFunction, code: string): string {
  return t(`errors.${code}`, { defaultValue: t('errors.unknown', { code }) });
}
