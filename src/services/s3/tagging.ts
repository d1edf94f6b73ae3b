import type { S3Handler } from './call.js';
import { s3Error } from '../../protocol/errors.js';
import { toXml } from '../../protocol/xml.js';
import { limits } from '../../limits.js';
import { readXmlBody } from './config-body.js';

// S3 / tagging rules (User Guide "Categorizing your storage using tags", "Tag naming limits"):
// at most 10 tags per object, keys 1–128 and values 0–256 Unicode characters of letters, digits,
// spaces and + - = . _ : / @, unique keys, no "aws:" prefix.
const allowedCharacters = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Validate a tag set as S3 does; returns it as a record. */
export function validateTags(pairs: Array<[string, string]>): Record<string, string> {
  if (pairs.length > limits.objectTagsMax) throw s3Error('BadRequest', 'Object tags cannot be greater than 10');
  const tags: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (Object.prototype.hasOwnProperty.call(tags, key)) throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key');
    if ([...key].length < 1 || [...key].length > limits.tagKeyMaxChars || !allowedCharacters.test(key)) {
      throw s3Error('InvalidTag', 'The TagKey you have provided is invalid');
    }
    if ([...value].length > limits.tagValueMaxChars || !allowedCharacters.test(value)) throw s3Error('InvalidTag', 'The TagValue you have provided is invalid');
    if (key.toLowerCase().startsWith('aws:')) throw s3Error('InvalidTag', 'Your TagKey cannot be prefixed with aws:');
    tags[key] = value;
  }
  return tags;
}

/** x-amz-tagging: URL query encoded "k1=v1&k2=v2" (S3 PutObject docs). */
export function parseTaggingHeader(text: string): Record<string, string> {
  if (text === '') return {};
  return validateTags([...new URLSearchParams(text)]);
}

function tagSetXml(tags: Record<string, string>) {
  const entries = Object.entries(tags);
  return { TagSet: entries.length ? { Tag: entries.map(([Key, Value]) => ({ Key, Value })) } : '' };
}

function noSuchKey(key: string) {
  return s3Error('NoSuchKey', undefined, { Key: key });
}

export const getObjectTagging: S3Handler = async (call) => {
  const record = await call.app.store.getObject(call.bucketName!, call.key!);
  if (!record) throw noSuchKey(call.key!);
  return { body: toXml('Tagging', tagSetXml(record.tags)) };
};

export const putObjectTagging: S3Handler = async (call) => {
  const root = await readXmlBody(call, 'Tagging');
  const tagSet = root.TagSet;
  if (tagSet === undefined) throw s3Error('MalformedXML');
  const list: Array<{ Key?: unknown; Value?: unknown }> = typeof tagSet === 'object' && tagSet !== null ? (tagSet.Tag ?? []) : [];
  const pairs = list.map((tag): [string, string] => {
    if (tag.Key === undefined || typeof tag.Key === 'object') throw s3Error('MalformedXML');
    const value = tag.Value === undefined || tag.Value === null ? '' : tag.Value;
    if (typeof value === 'object') throw s3Error('MalformedXML');
    return [String(tag.Key), String(value)];
  });
  const tags = validateTags(pairs);
  const updated = await call.app.store.updateObjectAttributes(call.bucketName!, call.key!, { tags });
  if (!updated) throw noSuchKey(call.key!);
  return {};
};

export const deleteObjectTagging: S3Handler = async (call) => {
  const updated = await call.app.store.updateObjectAttributes(call.bucketName!, call.key!, { tags: {} });
  if (!updated) throw noSuchKey(call.key!);
  return { status: 204 };
};
