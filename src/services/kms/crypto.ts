/**
 * Cryptographic operations (KMS API Reference): Encrypt, Decrypt, ReEncrypt, GenerateDataKey,
 * GenerateDataKeyWithoutPlaintext. Symmetric keys only; the encryption context is bound into the
 * ciphertext and must be repeated exactly to decrypt (otherwise InvalidCiphertextException).
 */
import { randomBytes } from 'node:crypto';
import type { ServiceCall } from '../service-call.js';
import { ciphertextKeyArn } from '../../kms/ciphertext.js';
import { keyByArn, parseKeyReference } from '../../kms/key-store.js';
import { decryptUnderKey, encryptUnderKey } from '../../kms/key-use.js';
import type { KeyDoc } from '../../kms/model.js';
import { constraint, incorrectKey, invalidCiphertext, keyNotFound, serviceErrorInvalidKeyUsage, validation } from '../../kms/errors.js';
import { anyKey, authorizeKey, keyFor, scopeOf } from './key-access.js';
import { encryptionContext, optionalInt, optionalString, requiredBlob, requiredString } from './params.js';

const algorithm = 'SYMMETRIC_DEFAULT';
const algorithms = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'];

function algorithmParam(input: Record<string, unknown>, name: string): void {
  const value = optionalString(input, name, 0, 64);
  if (value === null) return;
  if (!algorithms.includes(value)) throw constraint(value, name.charAt(0).toLowerCase() + name.slice(1), `Member must satisfy enum value set: [${algorithms.join(', ')}]`);
  if (value !== algorithm) throw serviceErrorInvalidKeyUsage(`${value} is not a supported encryption algorithm for a symmetric encryption key.`);
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64');
}

/** The key a ciphertext blob names (optionally checked against KeyId), authorized for `action`. */
async function ciphertextKey(call: ServiceCall, blob: Buffer, keyIdParam: string, action: string): Promise<KeyDoc> {
  const arn = ciphertextKeyArn(blob);
  if (!arn) throw invalidCiphertext();
  const reference = optionalString(call.input, keyIdParam, 1, 2048);
  if (reference !== null) {
    const { key } = await keyFor(call, reference, action, anyKey);
    if (key.arn !== arn) throw incorrectKey();
    return key;
  }
  const key = await call.app.store.readDocuments((tx) => keyByArn(tx, arn, call.app.clock.nowMs()));
  if (!key) throw keyNotFound(arn);
  await authorizeKey(call, action, key);
  return key;
}

export async function encrypt(call: ServiceCall): Promise<Record<string, unknown>> {
  const reference = requiredString(call.input, 'KeyId');
  const plaintext = requiredBlob(call.input, 'Plaintext', 1, 4096);
  const context = encryptionContext(call.input, 'EncryptionContext');
  algorithmParam(call.input, 'EncryptionAlgorithm');
  const { key } = await keyFor(call, reference, 'kms:Encrypt', anyKey);
  const blob = encryptUnderKey(call.app, key, plaintext, context);
  return { CiphertextBlob: b64(blob), KeyId: key.arn, EncryptionAlgorithm: algorithm };
}

export async function decrypt(call: ServiceCall): Promise<Record<string, unknown>> {
  const blob = requiredBlob(call.input, 'CiphertextBlob', 1, 6144);
  const context = encryptionContext(call.input, 'EncryptionContext');
  algorithmParam(call.input, 'EncryptionAlgorithm');
  const key = await ciphertextKey(call, blob, 'KeyId', 'kms:Decrypt');
  const plaintext = decryptUnderKey(call.app, key, blob, context);
  return { KeyId: key.arn, Plaintext: b64(plaintext), EncryptionAlgorithm: algorithm };
}

export async function reEncrypt(call: ServiceCall): Promise<Record<string, unknown>> {
  const blob = requiredBlob(call.input, 'CiphertextBlob', 1, 6144);
  const sourceContext = encryptionContext(call.input, 'SourceEncryptionContext');
  const destinationContext = encryptionContext(call.input, 'DestinationEncryptionContext');
  const destinationReference = requiredString(call.input, 'DestinationKeyId');
  algorithmParam(call.input, 'SourceEncryptionAlgorithm');
  algorithmParam(call.input, 'DestinationEncryptionAlgorithm');
  const source = await ciphertextKey(call, blob, 'SourceKeyId', 'kms:ReEncryptFrom');
  const { key: destination } = await keyFor(call, destinationReference, 'kms:ReEncryptTo', anyKey);
  const plaintext = decryptUnderKey(call.app, source, blob, sourceContext);
  try {
    const result = encryptUnderKey(call.app, destination, plaintext, destinationContext);
    return { CiphertextBlob: b64(result), SourceKeyId: source.arn, KeyId: destination.arn, SourceEncryptionAlgorithm: algorithm, DestinationEncryptionAlgorithm: algorithm };
  } finally {
    plaintext.fill(0);
  }
}

function dataKeySize(input: Record<string, unknown>): number {
  const spec = optionalString(input, 'KeySpec', 0, 32);
  const bytes = optionalInt(input, 'NumberOfBytes', 1, 1024);
  if (spec !== null && !['AES_256', 'AES_128'].includes(spec)) throw constraint(spec, 'keySpec', 'Member must satisfy enum value set: [AES_256, AES_128]');
  if (spec !== null && bytes !== null) throw validation('Please specify either number of bytes or key spec.');
  if (spec === null && bytes === null) throw validation('Please specify either number of bytes or key spec.');
  return spec === 'AES_128' ? 16 : spec === 'AES_256' ? 32 : bytes!;
}

async function generate(call: ServiceCall, action: string): Promise<{ key: KeyDoc; plaintext: Buffer; blob: Buffer }> {
  const reference = requiredString(call.input, 'KeyId');
  const size = dataKeySize(call.input);
  const context = encryptionContext(call.input, 'EncryptionContext');
  const { key } = await keyFor(call, reference, action, anyKey);
  const plaintext = randomBytes(size);
  return { key, plaintext, blob: encryptUnderKey(call.app, key, plaintext, context) };
}

export async function generateDataKey(call: ServiceCall): Promise<Record<string, unknown>> {
  const { key, plaintext, blob } = await generate(call, 'kms:GenerateDataKey');
  return { CiphertextBlob: b64(blob), Plaintext: b64(plaintext), KeyId: key.arn };
}

export async function generateDataKeyWithoutPlaintext(call: ServiceCall): Promise<Record<string, unknown>> {
  const { key, plaintext, blob } = await generate(call, 'kms:GenerateDataKeyWithoutPlaintext');
  plaintext.fill(0);
  return { CiphertextBlob: b64(blob), KeyId: key.arn };
}

/** kms:RequestAlias for requests that name a key by alias. */
export function requestAlias(call: ServiceCall, name: string): string | null {
  const text = call.input[name];
  if (typeof text !== 'string') return null;
  try {
    const ref = parseKeyReference(text, scopeOf(call));
    return ref.kind === 'alias' ? ref.aliasName : null;
  } catch {
    return null;
  }
}
