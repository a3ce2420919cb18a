import { Button, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { Trans } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import type { DecisionDto, DeviceSummaryDto } from '../../api/schema';
import { DevicesTable } from '../../components/devices-table';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CustomerPicker } from '../../components/named';
import { useT } from '../../i18n';
import { useMe } from '../../session';

export function DevicesPage() {
  const t = useT();
  const me = useMe();
  const [customerId, setCustomerId] = useState('');
  const [poolId, setPoolId] = useState('');
  const [revoking, setRevoking] = useState<DeviceSummaryDto | null>(null);
  const mayRevoke = me.data?.role === 'admin' || me.data?.role === 'issuer';
  return (
    <Stack>
      <Title order={2}>{t('devices.title')}</Title>
      <Group>
        <CustomerPicker value={customerId} onChange={setCustomerId} />
        <TextInput label={t('devices.poolId')} placeholder={t('devices.anyPool')} value={poolId} onChange={(event) => setPoolId(event.currentTarget.value.trim())} />
      </Group>
      <DevicesTable
        filter={{ customerId: customerId || undefined, poolId: poolId || undefined }}
        emptyText={t('devices.empty')}
        actions={(device) =>
          mayRevoke && device.status === 'active' ? (
            <Button size="xs" color="red" variant="outline" onClick={() => setRevoking(device)} aria-label={t('devices.revokeOf', { id: device.id })}>
              {t('common.revoke')}
            </Button>
          ) : null
        }
      />
      {revoking && <RevokeDialog device={revoking} onClose={() => setRevoking(null)} />}
    </Stack>
  );
}

function RevokeDialog({ device, onClose }: { device: DeviceSummaryDto; onClose: () => void }) {
  const t = useT();
  const queries = useQueryClient();
  const revoke = useMutation({
    mutationFn: (reason: string) => api<DeviceSummaryDto>('POST', `/v1/devices/${encodeURIComponent(device.id)}/revoke`, { reason } satisfies DecisionDto),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['devices'] });
      await queries.invalidateQueries({ queryKey: ['device'] });
      onClose();
    },
  });
  return (
    <ConfirmDialog title={t('devices.revokeTitle')} confirmLabel={t('devices.revokeConfirm')} reasonLabel={t('common.reason')} pending={revoke.isPending} error={revoke.error} onConfirm={(reason) => revoke.mutate(reason)} onClose={onClose}>
      <Text size="sm">
        <Trans t={t} i18nKey="devices.revokeText" values={{ device: device.id, pool: device.poolId }} components={{ code: <Code translate="no" /> }} />
      </Text>
    </ConfirmDialog>
  );
}
