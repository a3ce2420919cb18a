import { describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { startServer } from '../support/server';

describe('/readyz', () => {
  it('answers ready once serving, and 503 NOT_READY from SIGTERM until the server stops, while /healthz stays live', async () => {
    const server = await startServer({ env: { SEATLOCK_SHUTDOWN_DELAY_SECONDS: '3' } });
    const anonymous = client(server.url);
    try {
      expect(await anonymous.get('/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
      const exited = new Promise<number | null>((done) => server.process.once('exit', (code) => done(code)));
      server.process.kill('SIGTERM');
      // The signal is handled when a loaded machine gets to it, well within the 3 s it keeps answering.
      let stopping = await anonymous.get('/readyz');
      await expect.poll(async () => (stopping = await anonymous.get('/readyz')).status).toBe(503);
      expect(stopping.body.error).toEqual({ code: 'NOT_READY', message: 'The server is stopping.' });
      expect((await anonymous.get('/healthz')).status).toBe(200);
      expect(await exited).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
