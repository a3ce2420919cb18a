import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.service';

export type ReadinessState = 'starting' | 'ready' | 'stopping';

/**
 * Whether this instance should get traffic: not before its migrations ran and its keys are
 * loaded, not once it has begun to stop, and not while its database does not answer.
 */
@Injectable()
export class Readiness {
  private state: ReadinessState = 'starting';

  constructor(private readonly db: Database) {}

  /** After migrations, keys and the bootstrap token: the server is about to listen. */
  markReady(): void {
    if (this.state === 'starting') this.state = 'ready';
  }

  /** On SIGTERM: load balancers take the instance out while requests in flight finish. */
  markStopping(): void {
    this.state = 'stopping';
  }

  /** Why the instance is not ready, or undefined when it is. */
  async notReadyReason(): Promise<string | undefined> {
    if (this.state === 'starting') return 'The server is still starting.';
    if (this.state === 'stopping') return 'The server is stopping.';
    try {
      await this.db.read((manager) => this.db.execute(manager, 'SELECT 1'));
      return undefined;
    } catch (error) {
      return `The database does not answer (${(error as Error).message}).`;
    }
  }
}
