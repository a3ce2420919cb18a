import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SeatlockError } from '@seatlock/shared';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { timingSafeEqual } from 'node:crypto';
import { FailureRateLimiter } from '../auth/rate-limiter';
import { Public } from '../auth/roles.decorator';
import { hashSecret } from '../common/secrets';
import { CONFIG, type ServerConfig } from '../config/config';

type ScrapeRequest = { ip: string; headers: Record<string, string | undefined> };

/**
 * Prometheus's scrape target. It is not part of the API (the text format is Prometheus's own), so
 * it is left out of /docs, and it takes its own credential, SEATLOCK_METRICS_TOKEN: a scraper
 * holds no API token, and without that variable nobody can read the metrics.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController extends PrometheusController {
  private readonly tokenHash?: Buffer;

  constructor(
    @Inject(CONFIG) config: ServerConfig,
    private readonly limiter: FailureRateLimiter,
  ) {
    super();
    if (config.metricsToken) this.tokenHash = Buffer.from(hashSecret(config.metricsToken), 'hex');
  }

  // `request` is optional only to keep the base method's signature; Nest always passes it.
  @Get()
  override async index(@Res({ passthrough: true }) response: unknown, @Req() request?: ScrapeRequest): Promise<string> {
    const { ip, headers } = request as ScrapeRequest;
    this.limiter.assertAllowed(ip);
    if (!this.tokenHash) throw new SeatlockError('UNAUTHORIZED', 'Metrics are off: start the server with SEATLOCK_METRICS_TOKEN set and scrape with that bearer token.');
    const given = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    if (given === undefined) throw new SeatlockError('UNAUTHORIZED', 'Scrape /metrics with Authorization: Bearer <SEATLOCK_METRICS_TOKEN>.');
    if (!timingSafeEqual(Buffer.from(hashSecret(given), 'hex'), this.tokenHash)) return this.limiter.fail(ip, new SeatlockError('UNAUTHORIZED', 'The metrics token is not valid.'));
    return super.index(response);
  }
}
