import { Button } from '@mantine/core';
import { query } from '../api/client';

/**
 * Downloads a list as CSV with the filters the screen shows: a plain link, so the browser streams
 * the server's answer to a file instead of holding it in the page.
 */
export function ExportLink({ path, filter = {}, label }: { path: string; filter?: Record<string, string | undefined>; label: string }) {
  return (
    <Button component="a" href={`${path}${query(filter)}`} download variant="default" size="xs" w="fit-content">
      {label}
    </Button>
  );
}
