import type { RequestInfo } from '../context/request-context.js';
import { ServiceError, serviceError } from './errors.js';
import { toXml } from './xml.js';

/** AWS Query protocol namespaces per service. */
export const queryNamespaces: Record<string, string> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
};

/** Parse Query parameters: the form body of a POST merged over the URL query. */
export function parseQueryParams(info: RequestInfo, body: Buffer): Map<string, string> {
  const params = new Map(info.query);
  const contentType = String(info.headers['content-type'] ?? '');
  if (body.length > 0 && (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded'))) {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) params.set(name, value);
  }
  return params;
}

/** <{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata><RequestId/></ResponseMetadata></…>. */
export function queryResponse(service: string, action: string, result: Record<string, unknown> | null, requestId: string): string {
  const body: Record<string, unknown> = {};
  if (result !== null) body[`${action}Result`] = result;
  body.ResponseMetadata = { RequestId: requestId };
  return toXml(`${action}Response`, body, queryNamespaces[service] ?? null);
}

/** <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>. */
export function sendQueryError(info: RequestInfo, service: string, error: ServiceError): void {
  const res = info.res;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const xml = toXml('ErrorResponse', { Error: { Type: error.faultType, Code: error.code, Message: error.message }, RequestId: info.requestId }, queryNamespaces[service] ?? null);
  const bytes = Buffer.from(xml, 'utf8');
  res.writeHead(error.statusCode, { 'x-amzn-requestid': info.requestId, 'content-type': 'text/xml', 'content-length': bytes.length });
  res.end(bytes);
}

export function sendQueryResult(info: RequestInfo, xml: string): void {
  const bytes = Buffer.from(xml, 'utf8');
  info.res.writeHead(200, { 'x-amzn-requestid': info.requestId, 'content-type': 'text/xml', 'content-length': bytes.length });
  info.res.end(bytes);
}

export function invalidAction(action: string | undefined, version: string | undefined): ServiceError {
  if (!action) return serviceError('MissingAction', 'Missing Action', 400);
  return serviceError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`, 400);
}
