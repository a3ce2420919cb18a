import { Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../../api/client';
import type { CatalogDto, OrderDto, ProductDto, QuoteDto, SubmitOrderDto, SubmitTrialDto, TrialDto } from '../../api/schema';
import { ErrorNote, Loading } from '../../components/feedback';
import { formatCount, formatMoney, formatTime } from '../../format';
import { currentLanguage, useT } from '../../i18n';
import { nameOf } from '../../i18n/names';

type Modality = NonNullable<SubmitTrialDto['modality']>;

export function useCatalog() {
  return useQuery({ queryKey: ['catalog'], queryFn: () => api<CatalogDto>('GET', '/v1/catalog'), staleTime: Infinity });
}

export function CatalogPage() {
  const t = useT();
  const catalog = useCatalog();
  if (catalog.isPending) return <Loading />;
  if (catalog.error) return <ErrorNote error={catalog.error} />;
  const data = catalog.data;
  return (
    <Stack>
      <Title order={2}>{t('catalog.title')}</Title>
      <Text>
        {t('catalog.terms', {
          minimum: formatCount(data.minimumQuantity),
          limit: formatCount(data.listPriceLimit),
          trialDevices: formatCount(data.trial.maxDevices),
          trialDays: formatCount(data.trial.days),
          reviewDays: formatCount(data.reviewBusinessDays),
        })}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {data.products.map((product) => (
          <TierTable key={product.id} product={product} />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TrialForm catalog={data} />
        <PurchaseForm catalog={data} />
      </SimpleGrid>
    </Stack>
  );
}

function TierTable({ product }: { product: ProductDto }) {
  const t = useT();
  const name = nameOf(t, 'products', product.id);
  return (
    <Card withBorder>
      <Title order={3} size="h4">
        {name}
      </Title>
      <Text size="sm" c="gray.7" data-testid="features">
        {new Intl.ListFormat(currentLanguage(), { type: 'conjunction' }).format(product.features.map((feature) => nameOf(t, 'features', feature)))}
        {product.modalityRequired ? t('catalog.modalityRequired') : ''}
      </Text>
      <Table mt="xs" aria-label={t('catalog.tiers', { product: name })}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.devices')}</Table.Th>
            <Table.Th>{t('catalog.unitPrice')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {product.tiers.map((tier) => (
            <Table.Tr key={tier.min}>
              <Table.Td>
                {formatCount(tier.min)}
                {tier.max === null ? '+' : `–${formatCount(tier.max)}`}
              </Table.Td>
              <Table.Td>{formatMoney(tier.unitPriceFen)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function ProductFields(props: { catalog: CatalogDto; product: string; setProduct: (id: string) => void; modality: Modality | null; setModality: (modality: Modality | null) => void; idPrefix: string }) {
  const t = useT();
  const chosen = props.catalog.products.find((product) => product.id === props.product);
  return (
    <>
      <Select
        id={`${props.idPrefix}-product`}
        label={t('common.product')}
        data={props.catalog.products.map((product) => ({ value: product.id, label: nameOf(t, 'products', product.id) }))}
        value={props.product}
        onChange={(value) => value && props.setProduct(value)}
        allowDeselect={false}
      />
      {chosen?.modalityRequired && (
        <Select
          id={`${props.idPrefix}-modality`}
          label={t('common.modality')}
          placeholder={t('catalog.modalityPlaceholder')}
          data={props.catalog.modalities.map((modality) => ({ value: modality, label: nameOf(t, 'modalities', modality) }))}
          value={props.modality}
          onChange={(value) => props.setModality(value as Modality | null)}
          required
        />
      )}
    </>
  );
}

/** Whether the chosen product needs a modality that is not chosen yet: the form says so before sending. */
function missingModality(catalog: CatalogDto, product: string, modality: Modality | null): boolean {
  return Boolean(catalog.products.find((candidate) => candidate.id === product)?.modalityRequired) && modality === null;
}

/** A field's setter that also clears the last answer, so an old error does not outlive the edit that fixes it. */
function edited<T>(mutation: { reset: () => void }, set: (value: T) => void): (value: T) => void {
  return (value) => {
    mutation.reset();
    set(value);
  };
}

function TrialForm({ catalog }: { catalog: CatalogDto }) {
  const t = useT();
  const queries = useQueryClient();
  const [product, setProduct] = useState(catalog.products[0].id);
  const [modality, setModality] = useState<Modality | null>(null);
  const apply = useMutation({
    mutationFn: () => api<TrialDto>('POST', '/v1/trials', { product, modality: modality ?? undefined } satisfies SubmitTrialDto),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['trials'] }),
  });
  return (
    <Card withBorder component="section" aria-labelledby="trial-title">
      <Stack>
        <Title order={3} size="h4" id="trial-title">
          {t('catalog.trialTitle')}
        </Title>
        <ProductFields catalog={catalog} product={product} setProduct={edited(apply, setProduct)} modality={modality} setModality={edited(apply, setModality)} idPrefix="trial" />
        <ErrorNote error={apply.error} />
        {apply.data && (
          <Text c="teal" role="status">
            {t('catalog.trialSent', { when: formatTime(apply.data.reviewDueAt) })}
          </Text>
        )}
        <Button onClick={() => apply.mutate()} loading={apply.isPending} disabled={missingModality(catalog, product, modality)}>
          {t('catalog.trialSubmit')}
        </Button>
      </Stack>
    </Card>
  );
}

function PurchaseForm({ catalog }: { catalog: CatalogDto }) {
  const t = useT();
  const queries = useQueryClient();
  const [product, setProduct] = useState(catalog.products[catalog.products.length - 1].id);
  const [modality, setModality] = useState<Modality | null>(null);
  const [quantity, setQuantity] = useState<number>(catalog.minimumQuantity);
  const [debounced] = useDebouncedValue(quantity, 250);
  const negotiated = debounced > catalog.listPriceLimit;
  const quote = useQuery({
    queryKey: ['quote', product, debounced],
    queryFn: () => api<QuoteDto>('GET', `/v1/quote${query({ product, quantity: debounced })}`),
    enabled: !negotiated && debounced >= catalog.minimumQuantity,
  });
  const apply = useMutation({
    mutationFn: () => api<OrderDto>('POST', '/v1/orders', { product, quantity, modality: modality ?? undefined } satisfies SubmitOrderDto),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['orders'] }),
  });
  return (
    <Card withBorder component="section" aria-labelledby="purchase-title">
      <Stack>
        <Title order={3} size="h4" id="purchase-title">
          {t('catalog.purchaseTitle')}
        </Title>
        <ProductFields catalog={catalog} product={product} setProduct={edited(apply, setProduct)} modality={modality} setModality={edited(apply, setModality)} idPrefix="purchase" />
        <NumberInput label={t('common.devices')} min={catalog.minimumQuantity} max={catalog.maximumQuantity} thousandSeparator="," value={quantity} onChange={edited(apply, (value: number | string) => setQuantity(Number(value) || 0))} />
        <Group justify="space-between" aria-live="polite" data-testid="quote">
          {negotiated ? (
            <Text>{t('catalog.negotiated', { limit: formatCount(catalog.listPriceLimit) })}</Text>
          ) : quote.data ? (
            <Text>
              {t('catalog.quote', { tier: quote.data.tier, unitPrice: formatMoney(quote.data.unitPriceFen), quantity: formatCount(quote.data.quantity) })}
              <strong>{formatMoney(quote.data.totalFen)}</strong>
            </Text>
          ) : quote.error ? (
            <ErrorNote error={quote.error} />
          ) : (
            <Text c="gray.7">{t('catalog.atLeast', { minimum: formatCount(catalog.minimumQuantity) })}</Text>
          )}
        </Group>
        <ErrorNote error={apply.error} />
        {apply.data && (
          <Text c="teal" role="status">
            {t('catalog.purchaseSent', { when: formatTime(apply.data.reviewDueAt) })}
          </Text>
        )}
        <Button onClick={() => apply.mutate()} loading={apply.isPending} disabled={missingModality(catalog, product, modality) || quantity < catalog.minimumQuantity || quantity > catalog.maximumQuantity}>
          {t('catalog.purchaseSubmit')}
        </Button>
      </Stack>
    </Card>
  );
}
