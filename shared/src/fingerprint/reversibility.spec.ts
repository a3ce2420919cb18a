import { describe, expect, it } from 'vitest';
import { buildFingerprint, hashComponent } from './fingerprint';
import { normalizeComponent } from './normalize';

// What SECURITY.md says about component hashes rests on this: the hash key ships in every agent,
// so a hash hides a value only as well as the value's own entropy does.
describe('component hashes of low-entropy values', () => {
  it('reverse a MAC by enumeration once its vendor prefix is known', () => {
    const mac = '00:1a:2b:3c:9e:41';
    const licensed = buildFingerprint([{ name: 'net.mac.eth0', value: mac }]).components['net.mac.eth0'].h;
    // 2^16 of the 2^24 NIC values: the whole space is 256 times this, seconds on one core.
    let found: string | undefined;
    for (let nic = 0x3c0000; nic < 0x3d0000 && !found; nic++) {
      const candidate = `001a2b${nic.toString(16).padStart(6, '0')}`;
      if (hashComponent('net.mac.eth0', candidate) === licensed) found = candidate;
    }
    expect(found).toBe(normalizeComponent('net.mac.eth0', mac));
  });
});
