// Secrets at rest (issue 2 item 3: "Secrets are stored encrypted at rest"): AES-256-GCM sealing
// (NIST SP 800-38D: 96-bit nonce, 128-bit tag) must detect every kind of tampering.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SealError, open, seal, sealFormatVersion } from '../../src/crypto/seal.js';

const key = randomBytes(32);
const plaintext = Buffer.from('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');

describe('seal/open', () => {
  it('round-trips and uses the versioned layout: version | 12-byte nonce | 16-byte tag | ciphertext', () => {
    const nonce = Buffer.alloc(12, 7);
    const sealed = seal(key, plaintext, 'ctx', nonce);
    assert.equal(sealed[0], sealFormatVersion);
    assert.deepEqual(sealed.subarray(1, 13), nonce);
    assert.equal(sealed.length, 1 + 12 + 16 + plaintext.length);
    assert.ok(!sealed.includes(plaintext), 'ciphertext must not contain the plaintext');
    assert.deepEqual(open(key, sealed, 'ctx'), plaintext);
  });

  it('uses a fresh random nonce per seal', () => {
    assert.notDeepEqual(seal(key, plaintext, 'ctx'), seal(key, plaintext, 'ctx'));
  });

  it('round-trips an empty plaintext', () => {
    assert.equal(open(key, seal(key, Buffer.alloc(0), 'x'), 'x').length, 0);
  });

  it('rejects a flipped bit anywhere (version, nonce, tag, ciphertext)', () => {
    const sealed = seal(key, plaintext, 'ctx');
    for (let index = 0; index < sealed.length; index += 1) {
      const tampered = Buffer.from(sealed);
      tampered[index]! ^= 0x01;
      assert.throws(() => open(key, tampered, 'ctx'), SealError, `byte ${index}`);
    }
  });

  it('rejects the wrong AAD, the wrong key, truncation and unknown versions', () => {
    const sealed = seal(key, plaintext, 'access-key:AKIA1');
    assert.throws(() => open(key, sealed, 'access-key:AKIA2'), SealError);
    assert.throws(() => open(randomBytes(32), sealed, 'access-key:AKIA1'), SealError);
    assert.throws(() => open(key, sealed.subarray(0, 20), 'access-key:AKIA1'), /truncated/);
    assert.throws(() => open(key, sealed.subarray(0, sealed.length - 1), 'access-key:AKIA1'), SealError);
    const future = Buffer.from(sealed);
    future[0] = 2;
    assert.throws(() => open(key, future, 'access-key:AKIA1'), /unknown sealed format version 2/);
  });

  it('refuses keys that are not 32 bytes', () => {
    assert.throws(() => seal(randomBytes(16), plaintext, 'x'), /32 bytes/);
  });
});
