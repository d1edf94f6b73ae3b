import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import type { Authorizer } from '../context/authorizer.js';
import type { RequestInfo } from '../context/request-context.js';
import { ServiceError, s3Error, serviceError } from '../protocol/errors.js';
import { routeService, type Protocol } from './route-service.js';
import { newTrace, type RequestObserver, type RequestOutcome } from '../context/request-outcome.js';
import { authenticate } from './authenticate.js';
import { dispatchS3 } from '../protocol/s3-dispatch.js';
import { sendS3Error } from '../protocol/s3-response.js';
import { sendQueryError } from '../protocol/query.js';
import { dispatchJson, dispatchQuery } from '../protocol/service-dispatch.js';
import { sendJsonError } from '../protocol/json.js';

export interface Frontend {
  app: App;
  authorizer: Authorizer;
  startedAtMs: number;
  listeners: () => Array<{ protocol: 'http' | 'https'; host: string; port: number }>;
  /** Told about every finished request (access logs, audit trail); must not block. */
  observers?: RequestObserver[];
}

function notifyObservers(frontend: Frontend, info: RequestInfo): void {
  const observers = frontend.observers;
  if (!observers || observers.length === 0 || info.trace.service === 'crossbucket') return;
  const res = info.res;
  const length = Number(res.getHeader('content-length'));
  const outcome: RequestOutcome = {
    info,
    trace: info.trace,
    status: res.statusCode,
    bytesSent: Number.isFinite(length) && info.method !== 'HEAD' ? length : 0,
    endMs: frontend.app.clock.nowMs(),
  };
  for (const observer of observers) {
    try {
      observer.observe(outcome);
    } catch (error) {
      process.stderr.write(`crossbucket: request observer failed: ${(error as Error).message}\n`);
    }
  }
}

function requestInfo(req: IncomingMessage, res: ServerResponse, tls: boolean, nowMs: number): RequestInfo {
  const url = req.url ?? '/';
  const question = url.indexOf('?');
  const rawPath = question >= 0 ? url.slice(0, question) : url;
  const rawQuery = question >= 0 ? url.slice(question + 1) : '';
  const query = new Map<string, string>();
  if (rawQuery) {
    for (const part of rawQuery.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const name = safeDecode(eq >= 0 ? part.slice(0, eq) : part);
      if (!query.has(name)) query.set(name, eq >= 0 ? safeDecode(part.slice(eq + 1)) : '');
    }
  }
  return {
    req,
    res,
    method: req.method ?? 'GET',
    rawPath,
    rawQuery,
    query,
    headers: req.headers,
    host: String(req.headers.host ?? ''),
    tls,
    sourceIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
    ...nextRequestIds(),
    startMs: nowMs,
    userAgent: String(req.headers['user-agent'] ?? ''),
    trace: newTrace(),
  };
}

// Request IDs: a random per-process prefix and a counter (unique, and no randomBytes call per request).
const idPrefix = randomBytes(4).toString('hex').toUpperCase();
const hostIdPrefix = randomBytes(18);
let requestCounter = 0;

function nextRequestIds(): { requestId: string; hostId: string } {
  requestCounter = (requestCounter + 1) % 0x100000000;
  const counter = requestCounter.toString(16).toUpperCase().padStart(8, '0');
  const tail = Buffer.alloc(6);
  tail.writeUIntBE(requestCounter, 0, 6);
  return { requestId: idPrefix + counter, hostId: Buffer.concat([hostIdPrefix, tail]).toString('base64') };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The one request handler behind both listeners. */
export function createHandler(frontend: Frontend, tls: boolean) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const info = requestInfo(req, res, tls, frontend.app.clock.nowMs());
    res.once('close', () => notifyObservers(frontend, info));
    let protocol: Protocol = 's3';
    let service = 's3';
    const run = async () => {
      const routed = routeService(info);
      protocol = routed.protocol;
      service = routed.service;
      info.trace.service = protocol === 'internal' ? 'crossbucket' : service;
      if (protocol === 'internal') return handleInternal(frontend, info);
      const { identity, body } = await authenticate(frontend.app, info, service);
      info.trace.identity = identity;
      if (identity.type !== 'Anonymous') info.trace.authType = info.headers.authorization !== undefined ? 'AuthHeader' : 'QueryString';
      if (protocol === 's3') return dispatchS3(frontend.app, frontend.authorizer, info, identity, body);
      if (protocol === 'query') return dispatchQuery(frontend.app, frontend.authorizer, info, identity, service, body);
      return dispatchJson(frontend.app, frontend.authorizer, info, identity, service, body);
    };
    run().catch((error: unknown) => {
      const failure = error instanceof ServiceError ? error : internalError(error);
      info.trace.errorCode = failure.code;
      info.trace.errorMessage = failure.message;
      if (!req.complete) {
        res.setHeader('connection', 'close');
        req.resume();
      }
      if (protocol === 'query') sendQueryError(info, service, failure);
      else if (protocol === 'json') sendJsonError(info, failure);
      else sendS3Error(info, failure);
    });
  };
}

function internalError(error: unknown): ServiceError {
  // Never echo internals to the client; the operator sees the stack on stderr.
  process.stderr.write(`crossbucket: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return s3Error('InternalError');
}

function handleInternal(frontend: Frontend, info: RequestInfo): void {
  if (info.rawPath === '/_crossbucket/health' && (info.method === 'GET' || info.method === 'HEAD')) {
    const body = Buffer.from(JSON.stringify({
      status: 'ok',
      version: frontend.app.config.version,
      uptimeSeconds: Math.round((frontend.app.clock.nowMs() - frontend.startedAtMs) / 1000),
      region: frontend.app.config.region,
      listeners: frontend.listeners(),
    }));
    info.res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    info.res.end(info.method === 'HEAD' ? undefined : body);
    return;
  }
  throw s3Error('NoSuchKey', 'Unknown crossbucket endpoint');
}
