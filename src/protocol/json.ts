import type { RequestInfo } from '../context/request-context.js';
import type { ServiceError } from './errors.js';

/** AWS JSON 1.1 error: {"__type": Code, "message": …} with x-amzn-ErrorType. */
export function sendJsonError(info: RequestInfo, error: ServiceError): void {
  const res = info.res;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const bytes = Buffer.from(JSON.stringify({ __type: error.code, message: error.message }), 'utf8');
  res.writeHead(error.statusCode, { 'x-amzn-requestid': info.requestId, 'x-amzn-errortype': error.code, 'content-type': 'application/x-amz-json-1.1', 'content-length': bytes.length });
  res.end(bytes);
}

export function sendJsonResult(info: RequestInfo, value: unknown): void {
  const bytes = Buffer.from(JSON.stringify(value ?? {}), 'utf8');
  info.res.writeHead(200, { 'x-amzn-requestid': info.requestId, 'content-type': 'application/x-amz-json-1.1', 'content-length': bytes.length });
  info.res.end(bytes);
}
