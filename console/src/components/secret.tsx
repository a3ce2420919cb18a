import { Button, Code, CopyButton, Group, Text } from '@mantine/core';

/** A secret the server shows once (a token, an invite link, a webhook secret), with a copy button. */
export function Secret({ label, value }: { label: string; value: string }) {
  return (
    <Group wrap="nowrap">
      <Text size="sm">{label} (shown once):</Text>
      <Code style={{ wordBreak: 'break-all' }}>{value}</Code>
      <CopyButton value={value}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
    </Group>
  );
}
