/**
 * Block Public Access configuration [S3-BPA][S3-BPA-API]: four flags, kept per bucket and per account;
 * the effective value of each flag is the OR of both levels. New buckets get all four on (April 2023+).
 */
import { s3Error } from '../protocol/errors.js';
import { toXml } from '../protocol/xml.js';

export interface PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

export const PUBLIC_ACCESS_BLOCK_OFF: PublicAccessBlock = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
export const PUBLIC_ACCESS_BLOCK_ALL: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

const FIELDS: ReadonlyArray<readonly [keyof PublicAccessBlock, string]> = [
  ['blockPublicAcls', 'BlockPublicAcls'],
  ['ignorePublicAcls', 'IgnorePublicAcls'],
  ['blockPublicPolicy', 'BlockPublicPolicy'],
  ['restrictPublicBuckets', 'RestrictPublicBuckets'],
];

/** OR of the bucket-level and account-level settings (either may be absent). */
export function effectivePublicAccessBlock(bucket: PublicAccessBlock | null, account: PublicAccessBlock | null): PublicAccessBlock {
  const b = bucket ?? PUBLIC_ACCESS_BLOCK_OFF;
  const a = account ?? PUBLIC_ACCESS_BLOCK_OFF;
  return {
    blockPublicAcls: b.blockPublicAcls || a.blockPublicAcls,
    ignorePublicAcls: b.ignorePublicAcls || a.ignorePublicAcls,
    blockPublicPolicy: b.blockPublicPolicy || a.blockPublicPolicy,
    restrictPublicBuckets: b.restrictPublicBuckets || a.restrictPublicBuckets,
  };
}

/** The PublicAccessBlockConfiguration element of a request body (already parsed); absent flags are false. */
export function publicAccessBlockFromXml(root: Record<string, unknown>): PublicAccessBlock {
  const out: Record<string, boolean> = {};
  for (const [field, element] of FIELDS) {
    const value = root[element];
    if (value === undefined) out[field] = false;
    else if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) out[field] = value.trim().toLowerCase() === 'true';
    else throw s3Error('MalformedXML');
  }
  return out as unknown as PublicAccessBlock;
}

/** Rendered as GetPublicAccessBlock returns it (S3 namespace for buckets, S3 Control's for accounts). */
export function renderPublicAccessBlockXml(config: PublicAccessBlock, namespace: string): string {
  const body: Record<string, unknown> = {};
  for (const [field, element] of FIELDS) body[element] = config[field] ? 'true' : 'false';
  return toXml('PublicAccessBlockConfiguration', body, namespace);
}

/** Stored JSON (bucket config 'publicAccessBlock', account setting) → model; null when absent/unreadable. */
export function publicAccessBlockFromStored(text: string | null): PublicAccessBlock | null {
  if (text === null) return null;
  try {
    const data = JSON.parse(text) as Record<string, unknown>;
    const out: Record<string, boolean> = {};
    for (const [field] of FIELDS) out[field] = data[field] === true;
    return out as unknown as PublicAccessBlock;
  } catch {
    return null;
  }
}

export function publicAccessBlockToStored(config: PublicAccessBlock): string {
  return JSON.stringify({
    blockPublicAcls: config.blockPublicAcls,
    ignorePublicAcls: config.ignorePublicAcls,
    blockPublicPolicy: config.blockPublicPolicy,
    restrictPublicBuckets: config.restrictPublicBuckets,
  });
}
