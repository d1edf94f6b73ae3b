/** Symmetric key material (256-bit), sealed with the server master key for storage. */
import { randomBytes } from 'node:crypto';
import { open, seal } from '../crypto/seal.js';

export const keyMaterialBytes = 32;

function materialAad(keyArn: string): string {
  return `kms-key-material:${keyArn}`;
}

/** New random material, returned sealed (base64) — the clear bytes never leave this function. */
export function newSealedMaterial(masterKey: Buffer, keyArn: string): string {
  const material = randomBytes(keyMaterialBytes);
  try {
    return seal(masterKey, material, materialAad(keyArn)).toString('base64');
  } finally {
    material.fill(0);
  }
}

/** Opens sealed material; throws SealError when it was tampered with or belongs to another key. */
export function openMaterial(masterKey: Buffer, keyArn: string, sealedBase64: string): Buffer {
  return open(masterKey, Buffer.from(sealedBase64, 'base64'), materialAad(keyArn));
}
