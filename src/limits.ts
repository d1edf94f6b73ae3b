// Every limit of crossbucket in one place (TIGER_STYLE: names carry their units).
export const limits = {
  /** Objects up to this size are kept inline in the metadata database (one read per GET). */
  inlineObjectMaxBytes: 64 * 1024,
  /** S3: a single PUT may carry at most 5 GiB. */
  putObjectMaxBytes: 5 * 1024 * 1024 * 1024,
  /** S3: multipart part size bounds and count. */
  multipartPartMinBytes: 5 * 1024 * 1024,
  multipartPartMaxBytes: 5 * 1024 * 1024 * 1024,
  multipartMaxParts: 10_000,
  /** S3: user metadata (x-amz-meta-*) at most 2 KiB. */
  userMetadataMaxBytes: 2 * 1024,
  /** S3: object key at most 1024 bytes of UTF-8. */
  objectKeyMaxBytes: 1024,
  /** S3: at most 10 tags per object, key ≤ 128 chars, value ≤ 256 chars. */
  objectTagsMax: 10,
  tagKeyMaxChars: 128,
  tagValueMaxChars: 256,
  /** S3: DeleteObjects takes at most 1000 keys. */
  deleteObjectsMaxKeys: 1000,
  /** S3: list operations return at most 1000 entries per page. */
  listMaxKeys: 1000,
  /** SigV4: accepted clock skew (15 minutes). */
  sigv4ClockSkewMs: 15 * 60 * 1000,
  /** SigV4: presigned URL lifetime at most 7 days. */
  presignMaxExpiresSeconds: 7 * 24 * 3600,
  /** Request bodies that are parsed as XML/JSON/form must stay small. */
  configBodyMaxBytes: 1024 * 1024,
  /** Buckets per account (AWS default quota is 10,000 today). */
  bucketsPerAccountMax: 10_000,
  /** Streaming: read buffers. */
  streamChunkBytes: 1024 * 1024,
  /** Group commit: the longest a durable write may wait to be batched. */
  groupCommitMaxWaitMs: 2,
} as const;
