import si from 'systeminformation';

/** One part of the system section: what systeminformation answered, or why it could not. */
export type SystemPart = { ok: true; value: unknown } | { ok: false; error: string };

export interface SystemSection {
  os: SystemPart;
  cpu: SystemPart;
  memory: SystemPart;
  storage: SystemPart;
  network: SystemPart;
}

/** Long enough for a slow board's shell commands; a call that hangs (a missing tool on BusyBox) is reported, not waited for. */
const CALL_TIMEOUT_MS = 10_000;

async function part(call: () => Promise<unknown>): Promise<SystemPart> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CALL_TIMEOUT_MS / 1000} s`)), CALL_TIMEOUT_MS);
    });
    const value = await Promise.race([call(), timeout]);
    const empty = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    return empty ? { ok: false, error: 'nothing reported (a command it needs may be missing on this system)' } : { ok: true, value };
  } catch (error) {
    return { ok: false, error: (error as Error)?.message ?? String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The system section of the support report, from systeminformation (which spawns shell
 * commands: loaded by `diagnose` only, never on the boot path). Serial numbers and MAC addresses
 * are left out: they are raw identity values.
 */
export async function systemSection(): Promise<SystemSection> {
  const [os, cpu, memory, storage, network] = await Promise.all([
    part(async () => {
      const o = await si.osInfo();
      return { platform: o.platform, distro: o.distro, release: o.release, kernel: o.kernel, arch: o.arch, hostname: o.hostname };
    }),
    part(async () => {
      const c = await si.cpu();
      return { manufacturer: c.manufacturer, brand: c.brand, cores: c.cores, physicalCores: c.physicalCores, speedGHz: c.speed };
    }),
    part(async () => {
      const m = await si.mem();
      return { totalBytes: m.total, availableBytes: m.available };
    }),
    part(async () => (await si.blockDevices()).map((d) => ({ name: d.name, type: d.type, fsType: d.fsType, mount: d.mount, sizeBytes: d.size, removable: d.removable, model: d.model }))),
    part(async () => {
      const interfaces = await si.networkInterfaces();
      return (Array.isArray(interfaces) ? interfaces : [interfaces]).map((n) => ({ iface: n.iface, type: n.type, operstate: n.operstate, virtual: n.virtual, speedMbps: n.speed }));
    }),
  ]);
  return { os, cpu, memory, storage, network };
}
