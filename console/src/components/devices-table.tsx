import { Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError, api, apiText, LIVE_REFRESH_MS, query } from '../api/client';
import type { DeviceSearchDto, DeviceSearchResult, DeviceSummaryDto, DeviceSummaryDtoPage } from '../api/schema';
import { download, formatTime } from '../format';
import { useT } from '../i18n';
import { nameOf } from '../i18n/names';
import { Empty, ErrorNote, Loading } from './feedback';
import { ExportLink } from './export-link';
import { Named } from './named';
import { PHONE } from './paged-table';
import { useMediaQuery } from '@mantine/hooks';
import { Pager, usePage } from './paging';

export function DownloadLicense({ device }: { device: DeviceSummaryDto }) {
  const t = useT();
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
      <Button size="xs" variant="default" onClick={fetchLicense} loading={busy} disabled={device.status === 'revoked'} aria-label={t('devices.downloadOf', { id: device.id })}>
        {t('common.license')}
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
  const t = useT();
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
            label={t('devices.searchBy')}
            data={[
              { value: 'id', label: t('devices.byId') },
              { value: 'license', label: t('devices.byLicense') },
              { value: 'hardware', label: t('devices.byHardware') },
            ]}
            value={draft.by}
            onChange={(by) => by && setDraft({ ...draft, by: by as SearchBy })}
            allowDeselect={false}
            w={200}
          />
          {draft.by === 'hardware' && <TextInput label={t('devices.component')} value={draft.component} onChange={(event) => setDraft({ ...draft, component: event.currentTarget.value.trim() })} w={140} />}
          <TextInput
            label={draft.by === 'id' ? t('devices.deviceId') : draft.by === 'license' ? t('devices.licenseId') : t('devices.value')}
            placeholder={draft.by === 'id' ? t('devices.idPlaceholder') : undefined}
            value={draft.text}
            error={tooShort ? t('devices.tooShort') : undefined}
            onChange={(event) => setDraft({ ...draft, text: event.currentTarget.value })}
            style={{ flex: 1, minWidth: 180 }}
          />
          <Button type="submit" variant="default" disabled={tooShort}>
            {t('common.search')}
          </Button>
          {search && (
            <Button
              variant="subtle"
              onClick={() => {
                setDraft({ ...draft, text: '' });
                setSearch(null);
              }}
            >
              {t('common.showAll')}
            </Button>
          )}
        </Group>
      </form>
      {shown.isPending ? (
        <Loading />
      ) : shown.error ? (
        <ErrorNote error={shown.error} />
      ) : !devices || devices.length === 0 ? (
        <Empty>{search ? t('devices.noMatch', { text: search.text }) : emptyText}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={phone ? 0 : 640} type="native" tabIndex={0}>
          <Table data-testid="devices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('devices.device')}</Table.Th>
                <Table.Th data-secondary>{t('devices.platform')}</Table.Th>
                <Table.Th>{t('common.status')}</Table.Th>
                <Table.Th data-secondary>{t('devices.activated')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {devices.map((device) => (
                <Table.Tr key={device.id} data-device={device.id}>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm" translate="no">
                        {device.hardwareLabel}
                      </Text>
                      <Text size="xs" c="gray.7" ff="monospace">
                        <Named name={device.id.slice(0, 8)} id={device.id} what="device" />
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td data-secondary>{nameOf(t, 'platforms', device.platform)}</Table.Td>
                  <Table.Td>
                    <Badge color={device.status === 'active' ? 'teal' : 'red'}>{nameOf(t, 'statuses', device.status)}</Badge>
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
      {!byLookup && <ExportLink path="/v1/devices/export" filter={{ ...filter, idPrefix }} label={t('devices.export')} />}
    </>
  );
}
