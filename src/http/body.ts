import type { Readable } from 'node:stream';
import { s3Error } from '../protocol/errors.js';

/** Read a small body whole (configuration documents); larger than maxBytes is refused. */
export async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > maxBytes) {
      stream.destroy();
      throw s3Error('MaxMessageLengthExceeded', 'Your request was too big.');
    }
    chunks.push(buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}
