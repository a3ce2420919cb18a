import { Badge, Button, Group, Table, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError, api, apiText, query } from '../api/client';
import type { DeviceSummaryDto, DeviceSummaryDtoPage } from '../api/schema';
import { download, formatTime } from '../format';
import { Empty, ErrorNote, Loading } from './feedback';
import { Pager, usePage } from './paging';

export function DownloadLicense({ device }: { device: DeviceSummaryDto }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fetchLicense = async () => {
    setBusy(true);
    setError(null);
    try {
      download(`${device.id}.license`, await apiText(`/v1/devices/${encodeURIComponent(device.id)}/license`));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="xs" variant="default" onClick={fetchLicense} loading={busy} disabled={device.status === 'revoked'} aria-label={`Download license of ${device.id}`}>
        License
      </Button>
      <ErrorNote error={error} />
    </>
  );
}

/**
 * Devices under a filter (a pool, a customer), paged on the server; the search box finds one
 * device by its id. `actions` adds buttons to each row.
 */
export function DevicesTable({ filter, actions, emptyText }: { filter: { poolId?: string; customerId?: string }; actions?: (device: DeviceSummaryDto) => ReactNode; emptyText: ReactNode }) {
  const paging = usePage();
  const [search, setSearch] = useState('');
  const [searchedId, setSearchedId] = useState('');
  const list = useQuery({
    queryKey: ['devices', filter, paging.offset],
    queryFn: () => api<DeviceSummaryDtoPage>('GET', `/v1/devices${query({ ...filter, limit: paging.limit, offset: paging.offset })}`),
    enabled: !searchedId,
  });
  const found = useQuery({
    queryKey: ['device', searchedId],
    queryFn: async () => {
      try {
        const device = await api<DeviceSummaryDto>('GET', `/v1/devices/${encodeURIComponent(searchedId)}`);
        const matches = (!filter.poolId || device.poolId === filter.poolId) && (!filter.customerId || device.customerId === filter.customerId);
        return matches ? [device] : [];
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return [];
        throw error;
      }
    },
    enabled: Boolean(searchedId),
  });
  const shown = searchedId ? found : list;
  const devices = searchedId ? found.data : list.data?.items;

  return (
    <>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setSearchedId(search.trim());
        }}
      >
        <Group align="end" mb="sm">
          <TextInput label="Device id" placeholder="Find a device by its id" value={search} onChange={(event) => setSearch(event.currentTarget.value)} style={{ flex: 1, minWidth: 180 }} />
          <Button type="submit" variant="default">
            Search
          </Button>
          {searchedId && (
            <Button
              variant="subtle"
              onClick={() => {
                setSearch('');
                setSearchedId('');
              }}
            >
              Show all
            </Button>
          )}
        </Group>
      </form>
      {shown.isPending ? (
        <Loading />
      ) : shown.error ? (
        <ErrorNote error={shown.error} />
      ) : !devices || devices.length === 0 ? (
        <Empty>{searchedId ? `No device ${searchedId} here.` : emptyText}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={640} type="native" tabIndex={0}>
          <Table data-testid="devices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>Platform</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Activated</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {devices.map((device) => (
                <Table.Tr key={device.id}>
                  <Table.Td style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{device.id}</Table.Td>
                  <Table.Td>{device.platform}</Table.Td>
                  <Table.Td>
                    <Badge color={device.status === 'active' ? 'teal' : 'red'}>{device.status}</Badge>
                  </Table.Td>
                  <Table.Td>{formatTime(device.activatedAt)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <DownloadLicense device={device} />
                      {actions?.(device)}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {!searchedId && list.data && <Pager page={paging.page} setPage={paging.setPage} total={list.data.total} />}
    </>
  );
}
