import { Button, Card, Code, CopyButton, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiText, LIVE_REFRESH_MS } from '../api/client';
import type { ActivationCodeDto, PoolDto } from '../api/schema';
import { ConfirmDialog } from '../components/confirm-dialog';
import { DevicesTable } from '../components/devices-table';
import { ErrorNote, Loading } from '../components/feedback';
import { SeatBar } from '../components/seat-bar';
import { download } from '../format';
import { useT } from '../i18n';
import { nameOf } from '../i18n/names';
import { useMe } from '../session';

export function PoolPage({ params }: { params: Record<string, string> }) {
  const t = useT();
  const me = useMe();
  const pool = useQuery({ queryKey: ['pool', params.id], queryFn: () => api<PoolDto>('GET', `/v1/pools/${encodeURIComponent(params.id)}`), refetchInterval: LIVE_REFRESH_MS });
  if (pool.isPending) return <Loading />;
  if (pool.error) return <ErrorNote error={pool.error} />;
  const mayRotate = me.data?.role !== 'auditor';
  return (
    <Stack>
      <Title order={2}>{t('pool.title', { product: nameOf(t, 'products', pool.data.product), kind: nameOf(t, 'poolKinds', pool.data.kind) })}</Title>
      <Text size="sm" c="gray.7" translate="no">
        {pool.data.id}
      </Text>
      <SeatBar pool={pool.data} />
      {mayRotate && <ActivationCode poolId={pool.data.id} />}
      <PoolLicenses poolId={pool.data.id} />
      <section aria-labelledby="devices-title">
        <Title order={3} size="h4" id="devices-title" mb="xs">
          {t('pool.devices')}
        </Title>
        <DevicesTable filter={{ poolId: pool.data.id }} emptyText={
            <>
              {t('pool.noDevices')} <Code translate="no">seatlock-agent activate</Code>
            </>
          }
        />
      </section>
    </Stack>
  );
}

/** A new activation code, shown once: the server keeps only its hash, and the old code stops working. */
function ActivationCode({ poolId }: { poolId: string }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const rotate = useMutation({
    mutationFn: () => api<ActivationCodeDto>('POST', `/v1/pools/${encodeURIComponent(poolId)}/activation-code`),
    onSuccess: () => setConfirming(false),
  });
  return (
    <Card withBorder component="section" aria-labelledby="code-title">
      <Stack gap="xs">
        <Title order={3} size="h4" id="code-title">
          {t('pool.codeTitle')}
        </Title>
        <Text size="sm">{t('pool.codeText')}</Text>
        {rotate.data && (
          <Group wrap="nowrap" align="center">
            <Code data-testid="activation-code" style={{ wordBreak: 'break-all' }} translate="no">
              {rotate.data.activationCode}
            </Code>
            <CopyButton value={rotate.data.activationCode}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" onClick={copy}>
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
        )}
        <Group>
          <Button onClick={() => setConfirming(true)}>{rotate.data ? t('pool.replaceAgain') : t('pool.showNew')}</Button>
        </Group>
      </Stack>
      {confirming && (
        <ConfirmDialog title={t('pool.replaceTitle')} confirmLabel={t('pool.replaceConfirm')} color="blue" pending={rotate.isPending} error={rotate.error} onConfirm={() => rotate.mutate()} onClose={() => setConfirming(false)}>
          <Text size="sm">{t('pool.replaceText')}</Text>
        </ConfirmDialog>
      )}
    </Card>
  );
}

function PoolLicenses({ poolId }: { poolId: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [empty, setEmpty] = useState(false);
  const fetchAll = async () => {
    setBusy(true);
    setError(null);
    setEmpty(false);
    try {
      const licenses = await apiText(`/v1/pools/${encodeURIComponent(poolId)}/licenses`);
      if (licenses.trim()) download(`pool-${poolId}.licenses`, licenses);
      else setEmpty(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Group>
      <Button variant="default" onClick={fetchAll} loading={busy}>
        {t('pool.downloadAll')}
      </Button>
      <ErrorNote error={error} />
      {empty && (
        <Text size="sm" role="status">
          {t('pool.nothingToDownload')}
        </Text>
      )}
    </Group>
  );
}
