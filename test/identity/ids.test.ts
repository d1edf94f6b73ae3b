// Identifier shapes: IAM User Guide "IAM identifiers" (unique ID prefixes AKIA/ASIA/AIDA/AROA),
// "AWS account identifiers" (12-digit account ID, 64-hex canonical user ID).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIdGenerator, type RandomSource } from '../../src/identity/ids.js';

describe('createIdGenerator', () => {
  const ids = createIdGenerator();

  it('makes AWS-shaped identifiers', () => {
    for (let round = 0; round < 200; round += 1) {
      assert.match(ids.accountId(), /^[1-9]\d{11}$/);
      assert.match(ids.canonicalUserId(), /^[0-9a-f]{64}$/);
      assert.match(ids.accessKeyId(), /^AKIA[A-Z2-7]{16}$/);
      assert.match(ids.temporaryAccessKeyId(), /^ASIA[A-Z2-7]{16}$/);
      assert.match(ids.secretAccessKey(), /^[A-Za-z0-9+/]{40}$/);
      assert.match(ids.userUniqueId(), /^AIDA[A-Z2-7]{17}$/);
      assert.match(ids.roleUniqueId(), /^AROA[A-Z2-7]{17}$/);
    }
  });

  it('is deterministic with injected randomness', () => {
    const counterSource = (): RandomSource => {
      let next = 0;
      return (size) => Buffer.from(Array.from({ length: size }, () => next++ % 256));
    };
    const a = createIdGenerator(counterSource());
    const b = createIdGenerator(counterSource());
    assert.equal(a.accountId(), b.accountId());
    assert.equal(a.accessKeyId(), b.accessKeyId());
    assert.equal(a.secretAccessKey(), b.secretAccessKey());
  });

  it('never starts an account ID with 0, even when the source yields zeros first', () => {
    let calls = 0;
    const zerosFirst: RandomSource = (size) => (calls++ === 0 ? Buffer.alloc(size, 0) : Buffer.alloc(size, 0x37));
    assert.equal(createIdGenerator(zerosFirst).accountId(), '555555555555');
  });

  it('skips biased bytes (≥ 250) when drawing digits', () => {
    const generator = createIdGenerator((size) => Buffer.from(Array.from({ length: size }, (_, i) => (i % 2 === 0 ? 255 : 13))));
    assert.equal(generator.accountId(), '333333333333');
  });
});
