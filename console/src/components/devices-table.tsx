import { Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError, api, apiText, LIVE_REFRESH_MS, query } from '../api/client';
import type { DeviceSearchDto, DeviceSearchResult, DeviceSummaryDto, DeviceSummaryDtoPage } from '../api/schema';
import { download, formatTime } from '../format';
import { Empty, ErrorNote, Loading } from './feedback';
import { ExportLink } from './export-link';
import { Named } from './named';
import { PHONE } from './paged-table';
import { useMediaQuery } from '@mantine/hooks';
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

type SearchBy = 'id' | 'license' | 'hardware';

/** What the search box asked for; `id` lists the devices whose id begins with it (the server's `idPrefix`). */
interface Search {
  by: SearchBy;
  text: string;
  component: string;
}

/**
 * Devices under a filter (a pool, a customer), paged on the server, each by its hardware label with
 * its id one click away. The search finds devices by the start of their id, a license id, or a
 * hardware value read off the board. `actions` adds buttons to each row.
 */
export function DevicesTable({ filter, actions, emptyText }: { filter: { poolId?: string; customerId?: string }; actions?: (device: DeviceSummaryDto) => ReactNode; emptyText: ReactNode }) {
  const paging = usePage();
  const phone = useMediaQuery(PHONE);
  const [draft, setDraft] = useState<Search>({ by: 'id', text: '', component: 'emmc.cid' });
  const [search, setSearch] = useState<Search | null>(null);
  const idPrefix = search?.by === 'id' ? search.text : undefined;
  const list = useQuery({
    queryKey: ['devices', filter, idPrefix, paging.offset],
    queryFn: () => api<DeviceSummaryDtoPage>('GET', `/v1/devices${query({ ...filter, idPrefix, limit: paging.limit, offset: paging.offset })}`),
    enabled: !search || search.by === 'id',
    refetchInterval: LIVE_REFRESH_MS,
  });
  const found = useQuery({
    queryKey: ['device', search],
    queryFn: async () => {
      const body: DeviceSearchDto = search?.by === 'license' ? { licenseId: search.text } : { component: search?.component, value: search?.text };
      try {
        const { items } = await api<DeviceSearchResult>('POST', '/v1/devices/search', body);
        return items.filter((device) => (!filter.poolId || device.poolId === filter.poolId) && (!filter.customerId || device.customerId === filter.customerId));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return [];
        throw error;
      }
    },
    enabled: Boolean(search && search.by !== 'id'),
  });
  const byLookup = Boolean(search && search.by !== 'id');
  const shown = byLookup ? found : list;
  const devices = byLookup ? found.data : list.data?.items;
  const tooShort = draft.by === 'id' && draft.text.trim().length > 0 && draft.text.trim().length < 4;

  return (
    <>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const text = draft.text.trim();
          paging.setPage(1);
          setSearch(text ? { ...draft, text } : null);
        }}
      >
        <Group align="end" mb="sm">
          <Select
            label="Search by"
            data={[
              { value: 'id', label: 'Device id (its start)' },
              { value: 'license', label: 'License id' },
              { value: 'hardware', label: 'Hardware value' },
            ]}
            value={draft.by}
            onChange={(by) => by && setDraft({ ...draft, by: by as SearchBy })}
            allowDeselect={false}
            w={200}
          />
          {draft.by === 'hardware' && <TextInput label="Component" value={draft.component} onChange={(event) => setDraft({ ...draft, component: event.currentTarget.value.trim() })} w={140} />}
          <TextInput
            label={draft.by === 'id' ? 'Device id' : draft.by === 'license' ? 'License id' : 'Value read off the board'}
            placeholder={draft.by === 'id' ? 'At least 4 characters, e.g. 01a23790' : undefined}
            value={draft.text}
            error={tooShort ? 'Type at least 4 characters of the id.' : undefined}
            onChange={(event) => setDraft({ ...draft, text: event.currentTarget.value })}
            style={{ flex: 1, minWidth: 180 }}
          />
          <Button type="submit" variant="default" disabled={tooShort}>
            Search
          </Button>
          {search && (
            <Button
              variant="subtle"
              onClick={() => {
                setDraft({ ...draft, text: '' });
                setSearch(null);
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
        <Empty>{search ? `No device matches “${search.text}” here.` : emptyText}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={phone ? 0 : 640} type="native" tabIndex={0}>
          <Table data-testid="devices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th data-secondary>Platform</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th data-secondary>Activated</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {devices.map((device) => (
                <Table.Tr key={device.id} data-device={device.id}>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm">{device.hardwareLabel}</Text>
                      <Text size="xs" c="gray.7" ff="monospace">
                        <Named name={device.id.slice(0, 8)} id={device.id} what="device" />
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td data-secondary>{device.platform}</Table.Td>
                  <Table.Td>
                    <Badge color={device.status === 'active' ? 'teal' : 'red'}>{device.status}</Badge>
                  </Table.Td>
                  <Table.Td data-secondary>{formatTime(device.activatedAt)}</Table.Td>
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
      {!byLookup && list.data && <Pager page={paging.page} setPage={paging.setPage} total={list.data.total} />}
      {!byLookup && <ExportLink path="/v1/devices/export" filter={{ ...filter, idPrefix }} label="Export these devices (CSV)" />}
    </>
  );
}
