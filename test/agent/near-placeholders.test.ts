import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashComponent, normalizeComponent } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDevice, runAgent, setDeviceFile, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

/** A DV300 board with nothing but a cpuinfo serial (and a MAC): its serial is its only possible identity. */
function dv300Board(serial: string, mac = '0c:ef:af:d1:22:5e'): TestDevice {
  const board = newDevice('hi3516dv300-zero-serial');
  setDeviceFile(board, 'proc/cpuinfo', `processor\t: 0\nmodel name\t: ARMv7 Processor rev 5 (v7l)\n\nHardware\t: Hisilicon Hi3516DV300\nRevision\t: 0000\nSerial\t\t: ${serial}\n`);
  setDeviceFile(board, 'sys/class/net/eth0/address', `${mac}\n`);
  return board;
}

/** An RK3568 Android board whose only strong identity is the bootloader's serial: no SoC serial, no eMMC. */
function androidSerialBoard(serial: string, mac: string): TestDevice {
  const board = newDevice('android-rk3568');
  for (const path of ['sys/devices/soc0/serial_number', 'sys/block/mmcblk0', 'sys/block/mmcblk1', 'sys/class/net/wlan0']) rmSync(join(board.sysroot, path), { recursive: true });
  setDeviceFile(board, 'proc/cmdline', `storagemedia=emmc androidboot.mode=normal androidboot.serialno=${serial} console=ttyFIQ0 rootwait\n`);
  setDeviceFile(board, 'sys/class/net/eth0/address', `${mac}\n`);
  return board;
}

/** The fingerprint an agent that kept `serial` as identity sent for such a board: the server sees hashes only. */
function fingerprintKeeping(serial: string, mac: string) {
  const hashed = (name: string, raw: string) => hashComponent(name, normalizeComponent(name, raw));
  return { v: 1, components: { 'android.serial': { h: hashed('android.serial', serial), w: 3, s: true }, 'net.mac.eth0': { h: hashed('net.mac.eth0', mac), w: 1, s: false } } };
}

// Boards shipped with factory-default serials that are not all zeros must not share one seat.
describe('agent: boards with near-placeholder serials', () => {
  let server: StartedServer;
  let trustRoot: string;
  const agent = (board: TestDevice, args: string[]) => runAgent(board, args, { trustRoot });
  const seatsUsed = async (poolId: string) => (await client(server.url, server.adminToken).get(`/v1/pools/${poolId}`)).body.seatsUsed;

  beforeAll(async () => {
    server = await startServer();
    trustRoot = join(mkdtempSync(join(tmpdir(), 'seatlock-trust-')), 'root.pem');
    writeFileSync(trustRoot, (await client(server.url).get('/v1/trust')).body.root);
  });
  afterAll(() => server?.stop());

  it.each(['0000000000000001', '1234567890ABCDEF', 'SN00000000', 'FFFFFFFFFFFFFFFE'])(
    'two boards whose cpuinfo Serial is %s are refused WEAK_FINGERPRINT, online and offline, and take no seat',
    async (serial) => {
      const { activationCode, poolId } = await approvedPool(server.url, server.adminToken);
      for (const board of [dv300Board(serial, '0c:ef:af:d1:22:5e'), dv300Board(serial, '0c:ef:af:07:9b:31')]) {
        const online = await agent(board, ['activate', '--server', server.url, '--code', activationCode]);
        expect(online.code, online.stderr).toBe(1);
        expect(online.stderr).toMatch(/WEAK_FINGERPRINT/);
        const offline = await agent(board, ['request', '--code', activationCode, '--out', `${board.home}-request.txt`]);
        expect(offline.code, offline.stderr).toBe(1);
        expect(offline.stderr).toMatch(/WEAK_FINGERPRINT/);
      }
      expect(await seatsUsed(poolId)).toBe(0);
    },
  );

  it.each(['0101010101010101', '1212121212121212', 'DEADBEEFDEADBEEF', '0000000100000001', '1111222233334444', '0011223344556677', '12345678-1234-5678-1234-567812345678'])(
    'a license of a board whose android.serial is the periodic %s does not run on another board with it; the agent keeps no such serial',
    async (serial) => {
      const { activationCode, poolId } = await approvedPool(server.url, server.adminToken);
      const [first, second] = [androidSerialBoard(serial, '0c:ef:af:d1:22:5e'), androidSerialBoard(serial, '0c:ef:af:07:9b:31')];
      // A license issued to the first board while its serial counted as identity, copied to the second.
      const issued = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: fingerprintKeeping(serial, '0c:ef:af:d1:22:5e') });
      expect(issued.status).toBe(201);
      const copied = `${second.home}-copied.lic`;
      writeFileSync(copied, issued.body.license);
      const installed = await agent(second, ['install', copied]);
      expect(installed.code, installed.stderr).toBe(12);

      for (const board of [first, second]) {
        const online = await agent(board, ['activate', '--server', server.url, '--code', activationCode]);
        expect(online.code, online.stderr).toBe(1);
        expect(online.stderr).toMatch(/WEAK_FINGERPRINT/);
      }
      expect(await seatsUsed(poolId)).toBe(1);
    },
  );

  it('two boards with real serials are two devices with a seat each', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken);
    const answers = [];
    for (const board of [dv300Board('8a31c0d2e4f51607'), dv300Board('3e9b17f04c62d58a')]) {
      const activated = await agent(board, ['activate', '--server', server.url, '--code', activationCode]);
      expect(activated.code, activated.stderr).toBe(0);
      answers.push(activated.stdout);
    }
    expect(answers[0]).not.toBe(answers[1]);
    expect(await seatsUsed(poolId)).toBe(2);
  });

  it('drops a hand-typed MAC (00:11:22:33:44:66) from the fingerprint', async () => {
    const board = dv300Board('8a31c0d2e4f51607', '00:11:22:33:44:66');
    const shown = await agent(board, ['fingerprint', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(Object.keys(JSON.parse(shown.stdout).fingerprint.components)).toEqual(['soc.serial']);
  });
});
