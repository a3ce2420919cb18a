import { Progress, Stack, Text } from '@mantine/core';
import type { PoolDto } from '../api/schema';
import { formatCount, formatTime } from '../format';
import { useT } from '../i18n';

/** Seats used of the pool's total, and a trial's end. */
export function SeatBar({ pool }: { pool: PoolDto }) {
  const t = useT();
  const used = formatCount(pool.seatsUsed);
  const total = formatCount(pool.seats);
  const share = pool.seats === 0 ? 0 : (pool.seatsUsed / pool.seats) * 100;
  return (
    <Stack gap={4}>
      <Progress value={share} color={share >= 90 ? 'red' : 'teal'} aria-label={t('seats.usedLabel', { used, total })} />
      <Text size="sm" data-testid="seats">
        {t('seats.used', { used, total })}
        {pool.expiresAt ? t('seats.trialEnds', { when: formatTime(pool.expiresAt) }) : ''}
      </Text>
    </Stack>
  );
}
