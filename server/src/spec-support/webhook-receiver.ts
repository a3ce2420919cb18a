import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, any> };
}

/** What the receiver does with the next request: its status, and how long it waits before answering. */
export interface Answer {
  status: number;
  delayMs?: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A real HTTP receiver on loopback that keeps every request and answers as told (200 by default). */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private answers: Answer[] = [];
  /** The answer when none was queued. */
  usual: Answer = { status: 200 };
  private server?: Server;
  url = '';

  /** The next requests get these answers, in order; afterwards {@link usual}. */
  answerNext(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  async start(host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ headers: req.headers, body, json: body ? JSON.parse(body) : null });
        const answer = this.answers.shift() ?? this.usual;
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body ?? '');
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((done) => this.server!.listen(0, host, done));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/hook`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((done) => this.server?.close(done));
  }
}
