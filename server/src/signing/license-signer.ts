import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { LicenseClaims } from '@seatlock/shared';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../common/worker-script';
import { CONFIG, type ServerConfig } from '../config/config';
import { signingQueueDepth, signingSeconds } from '../metrics/metrics';
import { type ActiveIssuer, KeysService } from './keys.service';
import type { SignWorkerReply, SignWorkerRequest } from './sign-worker';

interface SignThread {
  worker: Worker;
  kid?: string;
  pending: Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>;
}

/**
 * Signs licenses on worker threads (PS256 is CPU-bound and would stall the event loop).
 * Each worker loads the issuing key once and again only after a rotation.
 */
@Injectable()
export class LicenseSigner implements OnApplicationShutdown {
  private threads: SignThread[] = [];
  private nextId = 1;

  constructor(
    private readonly keys: KeysService,
    @Inject(CONFIG) private readonly config: ServerConfig,
  ) {}

  async sign(claims: LicenseClaims): Promise<string> {
    const issuer = await this.keys.activeIssuer();
    const thread = this.leastBusy();
    if (thread.kid !== issuer.kid) this.loadKey(thread, issuer);
    const id = this.nextId++;
    const signing = signingSeconds.startTimer();
    signingQueueDepth.inc();
    return new Promise<string>((resolvePromise, reject) => {
      thread.pending.set(id, { resolve: resolvePromise, reject });
      thread.worker.postMessage({ type: 'sign', id, claims } satisfies SignWorkerRequest);
    }).finally(() => {
      signing();
      signingQueueDepth.dec();
    });
  }

  /** After the HTTP server has closed, so requests in flight still get their signatures. */
  async onApplicationShutdown(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private leastBusy(): SignThread {
    if (this.threads.length < this.config.signingWorkers) {
      const thread = this.spawn();
      this.threads.push(thread);
      return thread;
    }
    return this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private loadKey(thread: SignThread, issuer: ActiveIssuer): void {
    thread.worker.postMessage({ type: 'key', ...issuer } satisfies SignWorkerRequest);
    thread.kid = issuer.kid;
  }

  private spawn(): SignThread {
    const thread: SignThread = { worker: new Worker(workerScript(__dirname, 'sign-worker.js')), pending: new Map() };
    thread.worker.unref();
    thread.worker.on('message', (reply: SignWorkerReply) => {
      const waiting = thread.pending.get(reply.id);
      if (!waiting) return;
      thread.pending.delete(reply.id);
      if ('text' in reply) waiting.resolve(reply.text);
      else waiting.reject(new Error(`Signing failed: ${reply.error}`));
    });
    const fail = (error: Error) => {
      for (const waiting of thread.pending.values()) waiting.reject(error);
      thread.pending.clear();
      this.threads = this.threads.filter((t) => t !== thread);
    };
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => fail(new Error(`Signing worker exited with code ${code}.`)));
    return thread;
  }
}
