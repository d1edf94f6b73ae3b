import { s3Error, serviceError } from '../protocol/errors.js';
import { limits } from '../limits.js';
import { queryParams } from './encoding.js';
import { formatAmzDate, formatIsoSeconds, isS3, malformed, parseAmzDate } from './errors.js';
import type { AuthInput, AuthOptions, ParsedAuth, PayloadMode, SignedAuth } from './types.js';

const algorithm = 'AWS4-HMAC-SHA256';
const credentialShape = '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request"';
const headerPrefix = 'The authorization header is malformed; ';
const queryPrefix = 'Error parsing the X-Amz-Credential parameter; ';
const unsupportedMechanism = 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';

/** First value of a header (node gives arrays for repeated set-cookie-like headers). */
export function headerValue(headers: AuthInput['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Read the SigV4 signature of a request (Authorization header or presigned query) without any
 * secret: checks its shape, credential scope (region, service), date and skew, presign expiry and
 * the payload mode. Returns `{ kind: 'anonymous' }` for an unsigned request.
 * Throws the error S3 (or, for other services, their Query/JSON error) returns.
 */
export function parseAuth(req: AuthInput, opts: AuthOptions = {}): ParsedAuth {
  const service = opts.service ?? 's3';
  const authorization = headerValue(req.headers, 'authorization');
  const query = req.rawQuery.includes('X-Amz-') || req.rawQuery.includes('Signature') ? queryParams(req.rawQuery) : new Map<string, string>();
  const presignedV4 = query.has('X-Amz-Algorithm') || query.has('X-Amz-Signature') || query.has('X-Amz-Credential');
  if (authorization !== undefined && authorization !== '') {
    if (presignedV4 && isS3(service)) {
      throw s3Error(
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        { ArgumentName: 'Authorization', ArgumentValue: authorization },
      );
    }
    return parseHeaderAuth(req, authorization, opts, service);
  }
  if (presignedV4) return parsePresigned(req, query, opts, service);
  if (query.has('AWSAccessKeyId') && query.has('Signature')) {
    if (isS3(service)) throw s3Error('InvalidRequest', unsupportedMechanism);
    throw serviceError('InvalidRequest', unsupportedMechanism, 400);
  }
  return { kind: 'anonymous' };
}

function parseHeaderAuth(req: AuthInput, authorization: string, opts: AuthOptions, service: string): SignedAuth {
  const space = authorization.indexOf(' ');
  const scheme = space < 0 ? authorization : authorization.slice(0, space);
  if (scheme !== algorithm) {
    if (scheme === 'AWS' || scheme.startsWith('AWS4-')) {
      if (isS3(service)) throw s3Error('InvalidRequest', unsupportedMechanism);
      throw serviceError('IncompleteSignature', `Unsupported AWS 'algorithm': '${scheme}'`, 400);
    }
    if (isS3(service)) throw s3Error('InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: authorization });
    throw serviceError('IncompleteSignature', `Authorization header requires 'Credential' parameter. Authorization=${authorization}`, 400);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) throw malformed(service, 'AuthorizationHeaderMalformed', `${headerPrefix}the authorization component "${item}" is malformed.`);
    fields.set(item.slice(0, eq), item.slice(eq + 1));
  }
  const credential = fields.get('Credential');
  const signedHeadersText = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeadersText === undefined || signature === undefined) {
    if (isS3(service)) {
      throw s3Error('AuthorizationHeaderMalformed', `${headerPrefix}the authorization header requires three components: Credential, SignedHeaders, and Signature.`);
    }
    const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields.has(name));
    throw serviceError('IncompleteSignature', missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ') + ` Authorization=${authorization}`, 400);
  }
  const scope = parseCredential(credential, headerPrefix, 'AuthorizationHeaderMalformed', opts, service);
  const signedHeaders = signedHeadersText.split(';').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');

  // Date: x-amz-date, else the Date header.
  const amzDateHeader = headerValue(req.headers, 'x-amz-date');
  const dateHeader = headerValue(req.headers, 'date');
  let requestTime: string;
  let dateMs: number;
  let amzDate: string;
  if (amzDateHeader !== undefined) {
    requestTime = amzDateHeader;
    dateMs = parseAmzDate(amzDateHeader.trim());
    amzDate = amzDateHeader.trim();
  } else if (dateHeader !== undefined) {
    requestTime = dateHeader;
    dateMs = parseAmzDate(dateHeader.trim());
    if (Number.isNaN(dateMs)) dateMs = Date.parse(dateHeader);
    amzDate = Number.isNaN(dateMs) ? '' : formatAmzDate(dateMs);
  } else {
    requestTime = '';
    dateMs = Number.NaN;
    amzDate = '';
  }
  if (Number.isNaN(dateMs)) {
    if (isS3(service)) throw s3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
    throw serviceError('IncompleteSignature', `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`, 400);
  }
  if (amzDate.slice(0, 8) !== scope.date) {
    if (isS3(service)) throw s3Error('AuthorizationHeaderMalformed', `${headerPrefix}Invalid credential date. Date is not the same as X-Amz-Date.`);
    throw serviceError('SignatureDoesNotMatch', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`, 403);
  }
  checkSkew(requestTime, amzDate, dateMs, req.nowMs, service);

  const payload = headerPayload(req, service);
  const parsed: SignedAuth = {
    kind: 'header',
    ...scope,
    signedHeaders,
    signature: signature.toLowerCase(),
    amzDate,
    payloadHash: payload.hash,
    payloadMode: payload.mode,
  };
  const token = headerValue(req.headers, 'x-amz-security-token');
  if (token !== undefined) parsed.sessionToken = token;
  if (isS3(service)) checkUnsignedAmzHeaders(req, signedHeaders);
  return parsed;
}

function parsePresigned(req: AuthInput, query: Map<string, string>, opts: AuthOptions, service: string): SignedAuth {
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
  const queryError = (message: string, extra: Record<string, string> = {}) =>
    isS3(service) ? s3Error('AuthorizationQueryParametersError', message, extra) : serviceError('IncompleteSignature', message, 400);
  if (required.some((name) => !query.has(name))) {
    throw queryError('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  if (query.get('X-Amz-Algorithm') !== algorithm) throw queryError(`X-Amz-Algorithm only supports "${algorithm}"`);
  const scope = parseCredential(query.get('X-Amz-Credential')!, queryPrefix, 'AuthorizationQueryParametersError', opts, service);
  const amzDate = query.get('X-Amz-Date')!;
  const dateMs = parseAmzDate(amzDate);
  if (Number.isNaN(dateMs)) throw queryError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (amzDate.slice(0, 8) !== scope.date) {
    throw queryError(`Invalid credential date "${scope.date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`);
  }
  const expiresText = query.get('X-Amz-Expires')!;
  if (!/^-?\d+$/.test(expiresText)) throw queryError('X-Amz-Expires should be a number');
  const expiresSeconds = Number(expiresText);
  if (expiresSeconds < 0) throw queryError('X-Amz-Expires must be non-negative');
  if (expiresSeconds > limits.presignMaxExpiresSeconds) {
    throw queryError(`X-Amz-Expires must be less than a week (in seconds) that is ${limits.presignMaxExpiresSeconds}`);
  }
  const expiresAtMs = dateMs + expiresSeconds * 1000;
  if (dateMs - req.nowMs > limits.sigv4ClockSkewMs) {
    if (isS3(service)) {
      throw s3Error('AccessDenied', 'Request is not yet valid', {
        'X-Amz-Date': String(dateMs),
        Expires: formatIsoSeconds(expiresAtMs),
        ServerTime: formatIsoSeconds(req.nowMs),
      });
    }
    throw serviceError('SignatureDoesNotMatch', `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(req.nowMs + limits.sigv4ClockSkewMs)} (${formatAmzDate(req.nowMs)} + 15 min.)`, 403);
  }
  if (req.nowMs > expiresAtMs) {
    if (isS3(service)) {
      throw s3Error('AccessDenied', 'Request has expired', {
        'X-Amz-Expires': expiresText,
        Expires: formatIsoSeconds(expiresAtMs),
        ServerTime: formatIsoSeconds(req.nowMs),
      });
    }
    throw serviceError('SignatureDoesNotMatch', `Signature expired: ${formatAmzDate(expiresAtMs)} is now earlier than ${formatAmzDate(req.nowMs)}.`, 403);
  }
  const signedHeaders = query.get('X-Amz-SignedHeaders')!.split(';').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  const declared = query.get('X-Amz-Content-Sha256');
  const payload = declared !== undefined ? classifyPayload(declared, service) : isS3(service) ? { hash: 'UNSIGNED-PAYLOAD', mode: 'unsigned' as const } : { hash: '', mode: 'body-hash' as const };
  const parsed: SignedAuth = {
    kind: 'presigned',
    ...scope,
    signedHeaders,
    signature: query.get('X-Amz-Signature')!.toLowerCase(),
    amzDate,
    payloadHash: payload.hash,
    payloadMode: payload.mode,
    expiresSeconds,
  };
  const token = query.get('X-Amz-Security-Token');
  if (token !== undefined) parsed.sessionToken = token;
  if (isS3(service)) checkUnsignedAmzHeaders(req, signedHeaders);
  return parsed;
}

interface Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(credential: string, prefix: string, s3Code: string, opts: AuthOptions, service: string): Scope {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[0] === '' || !/^\d{8}$/.test(parts[1]!) || parts[2] === '' || parts[3] === '') {
    throw malformed(service, s3Code, `${prefix}the Credential is mal-formed; expecting ${credentialShape}.`);
  }
  const [accessKeyId, date, region, scopeService, terminal] = parts as [string, string, string, string, string];
  const expectedRegion = opts.region ?? 'us-east-1';
  // IAM is a global service: its credential scope is always us-east-1 whatever region we serve.
  const regionOk = region === expectedRegion || (scopeService === 'iam' && region === 'us-east-1');
  if (!regionOk) {
    if (isS3(service)) throw s3Error(s3Code, `${prefix}the region '${region}' is wrong; expecting '${expectedRegion}'`, { Region: expectedRegion });
    throw serviceError('SignatureDoesNotMatch', `Credential should be scoped to a valid region. `, 403);
  }
  if (scopeService !== service) {
    if (isS3(service)) throw s3Error(s3Code, `${prefix}incorrect service "${scopeService}". This endpoint belongs to "${service}".`);
    throw serviceError('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'. `, 403);
  }
  if (terminal !== 'aws4_request') {
    if (isS3(service)) throw s3Error(s3Code, `${prefix}incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
    throw serviceError('SignatureDoesNotMatch', `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminal}'. `, 403);
  }
  return { accessKeyId, date, region, service: scopeService };
}

function checkSkew(requestTime: string, amzDate: string, dateMs: number, nowMs: number, service: string): void {
  const skew = dateMs - nowMs;
  if (Math.abs(skew) <= limits.sigv4ClockSkewMs) return;
  if (isS3(service)) {
    throw s3Error('RequestTimeTooSkewed', undefined, {
      RequestTime: requestTime,
      ServerTime: formatIsoSeconds(nowMs),
      MaxAllowedSkewMilliseconds: String(limits.sigv4ClockSkewMs),
    });
  }
  if (skew < 0) {
    throw serviceError('SignatureDoesNotMatch', `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(nowMs - limits.sigv4ClockSkewMs)} (${formatAmzDate(nowMs)} - 15 min.)`, 403);
  }
  throw serviceError('SignatureDoesNotMatch', `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(nowMs + limits.sigv4ClockSkewMs)} (${formatAmzDate(nowMs)} + 15 min.)`, 403);
}

const streamingModes: Record<string, PayloadMode> = {
  'UNSIGNED-PAYLOAD': 'unsigned',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': 'streaming-signed',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': 'streaming-unsigned-trailer',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': 'streaming-signed-trailer',
};

function headerPayload(req: AuthInput, service: string): { hash: string; mode: PayloadMode } {
  const declared = headerValue(req.headers, 'x-amz-content-sha256');
  if (declared === undefined) {
    if (isS3(service)) throw s3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    return { hash: '', mode: 'body-hash' };
  }
  return classifyPayload(declared, service);
}

function classifyPayload(declared: string, service: string): { hash: string; mode: PayloadMode } {
  if (/^[0-9a-fA-F]{64}$/.test(declared)) return { hash: declared, mode: 'signed' };
  const mode = streamingModes[declared];
  if (mode) return { hash: declared, mode };
  const message =
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.';
  if (isS3(service)) throw s3Error('InvalidArgument', message, { ArgumentName: 'x-amz-content-sha256', ArgumentValue: declared });
  throw serviceError('InvalidRequest', message, 400);
}

/**
 * S3 refuses x-amz-* headers the signature does not cover (AccessDenied, HeadersNotSigned);
 * x-amz-content-sha256 is tolerated unsigned.
 */
function checkUnsignedAmzHeaders(req: AuthInput, signedHeaders: string[]): void {
  const signed = new Set(signedHeaders);
  const unsigned: string[] = [];
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith('x-amz-') && name !== 'x-amz-content-sha256' && !signed.has(name) && req.headers[name] !== undefined) unsigned.push(name);
  }
  if (unsigned.length > 0) {
    throw s3Error('AccessDenied', 'There were headers present in the request which were not signed', { HeadersNotSigned: unsigned.join(', ') });
  }
}
