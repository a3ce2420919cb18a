import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import type { DecisionDto, DeviceSummaryDto } from '../../api/schema';
import { DevicesTable } from '../../components/devices-table';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CustomerPicker } from '../../components/named';
import { useMe } from '../../session';

export function DevicesPage() {
  const me = useMe();
  const [customerId, setCustomerId] = useState('');
  const [poolId, setPoolId] = useState('');
  const [revoking, setRevoking] = useState<DeviceSummaryDto | null>(null);
  const mayRevoke = me.data?.role === 'admin' || me.data?.role === 'issuer';
  return (
    <Stack>
      <Title order={2}>Devices</Title>
      <Group>
        <CustomerPicker value={customerId} onChange={setCustomerId} />
        <TextInput label="Pool id" placeholder="Any pool" value={poolId} onChange={(event) => setPoolId(event.currentTarget.value.trim())} />
      </Group>
      <DevicesTable
        filter={{ customerId: customerId || undefined, poolId: poolId || undefined }}
        emptyText="No devices match: devices appear here once they activate."
        actions={(device) =>
          mayRevoke && device.status === 'active' ? (
            <Button size="xs" color="red" variant="outline" onClick={() => setRevoking(device)} aria-label={`Revoke ${device.id}`}>
              Revoke
            </Button>
          ) : null
        }
      />
      {revoking && <RevokeDialog device={revoking} onClose={() => setRevoking(null)} />}
    </Stack>
  );
}

function RevokeDialog({ device, onClose }: { device: DeviceSummaryDto; onClose: () => void }) {
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
    <ConfirmDialog title="Revoke this device?" confirmLabel="Revoke device" reasonLabel="Reason" pending={revoke.isPending} error={revoke.error} onConfirm={(reason) => revoke.mutate(reason)} onClose={onClose}>
      <Text size="sm">
        Device <code>{device.id}</code> of pool <code>{device.poolId}</code> loses its license at the next revocation list its board installs. Its seat is not returned. This cannot be undone.
      </Text>
    </ConfirmDialog>
  );
}
