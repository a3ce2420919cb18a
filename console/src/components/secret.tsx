import { Button, Code, CopyButton, Group, Text } from '@mantine/core';
import { useT } from '../i18n';

/** A secret the server shows once (a token, an invite link, a webhook secret), with a copy button. */
export function Secret({ label, value }: { label: string; value: string }) {
  const t = useT();
  return (
    <Group wrap="nowrap">
      <Text size="sm">{t('common.secret', { label })}</Text>
      <Code style={{ wordBreak: 'break-all' }} translate="no">{value}</Code>
      <CopyButton value={value}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? t('common.copied') : t('common.copy')}</Button>}</CopyButton>
    </Group>
  );
}
