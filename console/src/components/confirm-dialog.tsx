import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useT } from '../i18n';
import { ErrorNote } from './feedback';

/**
 * Asks before an action that cannot be taken back (a rejection, a revocation, a new activation
 * code). With `reasonLabel` a reason is required before the action can be confirmed.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  color?: string;
  reasonLabel?: string;
  pending: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const needsReason = props.reasonLabel !== undefined;
  return (
    <Modal opened onClose={props.onClose} title={props.title} closeButtonProps={{ 'aria-label': t('confirm.close') }}>
      <Stack>
        {props.children}
        {needsReason && <Textarea label={props.reasonLabel} required autosize minRows={2} maxLength={500} value={reason} onChange={(event) => setReason(event.currentTarget.value)} data-autofocus />}
        <ErrorNote error={props.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button color={props.color ?? 'red'} onClick={() => props.onConfirm(reason.trim())} loading={props.pending} disabled={needsReason && !reason.trim()}>
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
