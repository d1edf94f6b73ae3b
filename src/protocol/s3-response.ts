import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { ServiceError } from './errors.js';
import type { RequestInfo } from '../context/request-context.js';
import type { S3Result } from '../services/s3/call.js';
import { toXml } from './xml.js';

function commonHeaders(info: RequestInfo): Record<string, string> {
  return { 'x-amz-request-id': info.requestId, 'x-amz-id-2': info.hostId, server: 'AmazonS3' };
}

/** Write an S3 result: XML/bytes/stream body with the standard S3 response headers. */
export async function sendS3Result(info: RequestInfo, result: S3Result): Promise<void> {
  const res = info.res;
  const headers: Record<string, string | number> = { ...commonHeaders(info), ...(result.headers ?? {}) };
  const status = result.status ?? 200;
  const body = result.body;
  if (body === undefined || info.method === 'HEAD' || status === 304 || status === 204) {
    if (body === undefined && headers['content-length'] === undefined) headers['content-length'] = 0;
    if (body instanceof Readable) body.destroy();
    res.writeHead(status, headers);
    res.end();
    return;
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (typeof body === 'string' && headers['content-type'] === undefined) headers['content-type'] = 'application/xml';
    headers['content-length'] = bytes.length;
    res.writeHead(status, headers);
    res.end(bytes);
    return;
  }
  res.writeHead(status, headers);
  await pipeline(body, res);
}

/** S3's error document: <Error><Code/><Message/>…extra…<RequestId/><HostId/></Error>. */
export function sendS3Error(info: RequestInfo, error: ServiceError): void {
  const res = info.res;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string | number> = { ...commonHeaders(info), ...error.headers };
  if (info.method === 'HEAD') {
    headers['content-length'] = 0;
    res.writeHead(error.statusCode, headers);
    res.end();
    return;
  }
  const xml = toXml('Error', { Code: error.code, Message: error.message, ...error.extra, RequestId: info.requestId, HostId: info.hostId }, null);
  const bytes = Buffer.from(xml, 'utf8');
  headers['content-type'] = 'application/xml';
  headers['content-length'] = bytes.length;
  res.writeHead(error.statusCode, headers);
  res.end(bytes);
}
