import { Progress, Stack, Text } from '@mantine/core';
import type { PoolDto } from '../api/schema';
import { formatCount, formatTime } from '../format';

/** Seats used of the pool's total, and a trial's end. */
export function SeatBar({ pool }: { pool: PoolDto }) {
  const share = pool.seats === 0 ? 0 : (pool.seatsUsed / pool.seats) * 100;
  return (
    <Stack gap={4}>
      <Progress value={share} color={share >= 90 ? 'red' : 'teal'} aria-label={`${pool.seatsUsed} of ${pool.seats} seats used`} />
      <Text size="sm" data-testid="seats">
        {formatCount(pool.seatsUsed)} / {formatCount(pool.seats)} seats used
        {pool.expiresAt ? ` · trial ends ${formatTime(pool.expiresAt)}` : ''}
      </Text>
    </Stack>
  );
}
