import { s3Error } from '../../protocol/errors.js';

export interface CopySource {
  bucket: string;
  key: string;
  versionId: string | null;
}

/** Parse x-amz-copy-source: "[/]bucket/key[?versionId=…]", URL-encoded (CopyObject docs). */
export function parseCopySource(header: string): CopySource {
  let text = header;
  let versionId: string | null = null;
  const question = text.indexOf('?');
  if (question >= 0) {
    const params = new URLSearchParams(text.slice(question + 1));
    versionId = params.get('versionId');
    text = text.slice(0, question);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw s3Error('InvalidArgument', 'Invalid copy source encoding', { ArgumentName: 'x-amz-copy-source', ArgumentValue: header });
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw s3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source', ArgumentValue: header });
  }
  if (versionId !== null && versionId !== 'null') throw s3Error('NoSuchVersion', 'The specified version does not exist.', { Key: decoded.slice(slash + 1), VersionId: versionId });
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}
