import { Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../../api/client';
import type { CatalogDto, OrderDto, ProductDto, QuoteDto, SubmitOrderDto, SubmitTrialDto, TrialDto } from '../../api/schema';
import { ErrorNote, Loading } from '../../components/feedback';
import { formatCount, formatMoney, formatTime } from '../../format';

type Modality = NonNullable<SubmitTrialDto['modality']>;

export function useCatalog() {
  return useQuery({ queryKey: ['catalog'], queryFn: () => api<CatalogDto>('GET', '/v1/catalog'), staleTime: Infinity });
}

export function CatalogPage() {
  const catalog = useCatalog();
  if (catalog.isPending) return <Loading />;
  if (catalog.error) return <ErrorNote error={catalog.error} />;
  const data = catalog.data;
  return (
    <Stack>
      <Title order={2}>Catalog</Title>
      <Text>
        Prices in CNY per device: the whole order is priced at the tier its quantity reaches. Orders start at {formatCount(data.minimumQuantity)} devices; above{' '}
        {formatCount(data.listPriceLimit)} the price is negotiated. A trial gives {data.trial.maxDevices} devices for {data.trial.days} days, once per product. Staff review every
        application within {data.reviewBusinessDays} business days.
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
  return (
    <Card withBorder>
      <Title order={3} size="h4">
        {product.name}
      </Title>
      <Text size="sm" c="gray.7">
        {product.features.join(', ')}
        {product.modalityRequired ? ' · modality required' : ''}
      </Text>
      <Table mt="xs" aria-label={`${product.name} tiers`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Devices</Table.Th>
            <Table.Th>Unit price</Table.Th>
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
  const chosen = props.catalog.products.find((product) => product.id === props.product);
  return (
    <>
      <Select
        id={`${props.idPrefix}-product`}
        label="Product"
        data={props.catalog.products.map((product) => ({ value: product.id, label: product.name }))}
        value={props.product}
        onChange={(value) => value && props.setProduct(value)}
        allowDeselect={false}
      />
      {chosen?.modalityRequired && (
        <Select
          id={`${props.idPrefix}-modality`}
          label="Modality"
          placeholder="Choose the camera modality"
          data={props.catalog.modalities}
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
          Apply for a trial
        </Title>
        <ProductFields catalog={catalog} product={product} setProduct={edited(apply, setProduct)} modality={modality} setModality={edited(apply, setModality)} idPrefix="trial" />
        <ErrorNote error={apply.error} />
        {apply.data && (
          <Text c="teal" role="status">
            Trial application sent; review due {formatTime(apply.data.reviewDueAt)}.
          </Text>
        )}
        <Button onClick={() => apply.mutate()} loading={apply.isPending} disabled={missingModality(catalog, product, modality)}>
          Apply for trial
        </Button>
      </Stack>
    </Card>
  );
}

function PurchaseForm({ catalog }: { catalog: CatalogDto }) {
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
          Apply for a purchase
        </Title>
        <ProductFields catalog={catalog} product={product} setProduct={edited(apply, setProduct)} modality={modality} setModality={edited(apply, setModality)} idPrefix="purchase" />
        <NumberInput label="Devices" min={catalog.minimumQuantity} max={catalog.maximumQuantity} thousandSeparator="," value={quantity} onChange={edited(apply, (value: number | string) => setQuantity(Number(value) || 0))} />
        <Group justify="space-between" aria-live="polite" data-testid="quote">
          {negotiated ? (
            <Text>Above {formatCount(catalog.listPriceLimit)} devices the price is negotiated: staff enter it when they approve.</Text>
          ) : quote.data ? (
            <Text>
              Tier {quote.data.tier}: {formatMoney(quote.data.unitPriceFen)} × {formatCount(quote.data.quantity)} = <strong>{formatMoney(quote.data.totalFen)}</strong>
            </Text>
          ) : quote.error ? (
            <ErrorNote error={quote.error} />
          ) : (
            <Text c="gray.7">At least {formatCount(catalog.minimumQuantity)} devices.</Text>
          )}
        </Group>
        <ErrorNote error={apply.error} />
        {apply.data && (
          <Text c="teal" role="status">
            Purchase application sent; review due {formatTime(apply.data.reviewDueAt)}.
          </Text>
        )}
        <Button onClick={() => apply.mutate()} loading={apply.isPending} disabled={missingModality(catalog, product, modality) || quantity < catalog.minimumQuantity || quantity > catalog.maximumQuantity}>
          Apply for purchase
        </Button>
      </Stack>
    </Card>
  );
}
