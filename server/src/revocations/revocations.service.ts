import { Inject, Injectable } from '@nestjs/common';
import { signRevocationList, type RevocationList, type RevokedIssuer } from '@seatlock/shared';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { Database } from '../database/database.service';
import { Device } from '../devices/device.entity';
import { type KeySummary, KeysService } from '../signing/keys.service';
import { RevocationListRecord } from './revocation-list.entity';

/** What an export wrote: the signed text and what it holds. */
export interface ExportedRevocationList {
  serial: number;
  issuedAt: string;
  devices: number;
  issuers: RevokedIssuer[];
  text: string;
}

/**
 * How long after its successor took over a retired key's licenses are still accepted: other
 * instances pick up a rotation within seconds, and certificates are backdated by as much.
 */
const RETIREMENT_GRACE_S = 60 * 60;

/**
 * Every issuing key but the newest, closed from when the next one was made (plus the grace); a
 * key declared compromised is closed from the start (`after: 0`): its thief can date a license
 * anywhere in its window.
 */
function retiredIssuers(keys: readonly KeySummary[]): RevokedIssuer[] {
  const issuers = keys.filter((key) => key.kind === 'issuer');
  return issuers
    .slice(0, -1)
    .map((key, i) => ({ kid: key.kid, after: key.compromisedAt ? 0 : Math.floor(Date.parse(issuers[i + 1].createdAt) / 1000) + RETIREMENT_GRACE_S }));
}

@Injectable()
export class RevocationsService {
  constructor(
    private readonly db: Database,
    private readonly keys: KeysService,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Signs the revocation list of this moment with the root key: every revoked device and every
   * retired or compromised issuing key, under the next serial. An offline root's key comes from `rootKeyFile`.
   */
  async exportRevocationList(actor: string, rootKeyFile?: string): Promise<ExportedRevocationList> {
    const root = await this.keys.rootSigner(rootKeyFile);
    const issuers = retiredIssuers(await this.keys.listKeys());
    const now = this.clock.now();
    return this.db.write(async (manager) => {
      const devices = await manager.find(Device, { select: { id: true }, where: { status: 'revoked' }, order: { id: 'ASC' } });
      const [last] = await manager.find(RevocationListRecord, { order: { serial: 'DESC' }, take: 1 });
      const serial = (last?.serial ?? 0) + 1;
      const list: RevocationList = { v: 1, serial, iat: Math.floor(now.getTime() / 1000), devices: devices.map((d) => d.id), issuers };
      await manager.insert(RevocationListRecord, { serial, issuedAt: now.toISOString(), devices: devices.length, issuers: issuers.length });
      await this.audit.append(manager, [{ action: 'revocations.exported', actor, subject: `revocations:${serial}`, data: { devices: devices.length, issuers: issuers.length } }]);
      return { serial, issuedAt: now.toISOString(), devices: devices.length, issuers, text: signRevocationList(list, root) };
    });
  }
}
