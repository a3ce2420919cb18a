import { Select } from '@mantine/core';
import { chooseLanguage, currentLanguage, type Language, useT } from '../i18n';

/** Each language by its own name, so a reader finds theirs whatever is shown now. */
const NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '中文' };

/** Switches the console's language; the choice is kept in this browser. */
export function LanguagePicker() {
  const t = useT();
  return (
    <Select
      aria-label={t('language.label')}
      data={Object.entries(NAMES).map(([value, label]) => ({ value, label }))}
      renderOption={({ option }) => <span lang={option.value}>{option.label}</span>}
      value={currentLanguage()}
      onChange={(language) => language && chooseLanguage(language as Language)}
      allowDeselect={false}
      size="xs"
      w={100}
      data-testid="language"
    />
  );
}
