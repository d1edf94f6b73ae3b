import { createHash } from 'node:crypto';
import { s3Error } from '../protocol/errors.js';
import { crc32cCombine, crc32Combine, crc64NvmeCombine } from './crc.js';
import { checksumAlgorithm, createChecksum, type ChecksumAlgorithmName } from './checksums.js';

/**
 * Multipart checksums, as S3 documents in "Checking object integrity":
 * - COMPOSITE (CRC32, CRC32C, SHA1, SHA256): BASE64(hash(raw part checksum 1 ‖ … ‖ raw part checksum N)) + "-N"
 * - FULL_OBJECT (CRC32, CRC32C, CRC64NVME): the CRC of the whole object, combined from the part CRCs
 *   and part sizes (no suffix).
 */
export function compositeChecksum(algorithm: string, partChecksumsBase64: string[]): string {
  const name = checksumAlgorithm(algorithm);
  if (!name || name === 'CRC64NVME') {
    throw s3Error('InvalidRequest', `The ${algorithm.toUpperCase()} checksum algorithm does not support the COMPOSITE checksum type.`);
  }
  const hash = createChecksum(name);
  for (const part of partChecksumsBase64) hash.update(Buffer.from(part, 'base64'));
  return `${hash.digest()}-${partChecksumsBase64.length}`;
}

/** Algorithms that support FULL_OBJECT multipart checksums. */
export const fullObjectAlgorithms: readonly ChecksumAlgorithmName[] = ['CRC32', 'CRC32C', 'CRC64NVME'];

/** Full-object CRC of a multipart object from each part's CRC (base64) and size in bytes. */
export function fullObjectChecksum(algorithm: string, parts: Array<{ checksum: string; size: number }>): string {
  const name = checksumAlgorithm(algorithm);
  if (name === 'CRC64NVME') {
    let crc = 0n;
    for (const part of parts) crc = crc64NvmeCombine(crc, Buffer.from(part.checksum, 'base64').readBigUInt64BE(0), part.size);
    const out = Buffer.allocUnsafe(8);
    out.writeBigUInt64BE(crc, 0);
    return out.toString('base64');
  }
  if (name === 'CRC32' || name === 'CRC32C') {
    const combine = name === 'CRC32' ? crc32Combine : crc32cCombine;
    let crc = 0;
    for (const part of parts) crc = combine(crc, Buffer.from(part.checksum, 'base64').readUInt32BE(0), part.size);
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(crc >>> 0, 0);
    return out.toString('base64');
  }
  throw s3Error('InvalidRequest', `The ${algorithm.toUpperCase()} checksum algorithm does not support the FULL_OBJECT checksum type.`);
}

/** Multipart ETag: hex(MD5(raw part MD5 1 ‖ … ‖ raw part MD5 N)) + "-N" (part ETags with or without quotes). */
export function multipartEtag(partEtagsHex: string[]): string {
  const md5 = createHash('md5');
  for (const etag of partEtagsHex) md5.update(Buffer.from(etag.replace(/"/g, ''), 'hex'));
  return `${md5.digest('hex')}-${partEtagsHex.length}`;
}
