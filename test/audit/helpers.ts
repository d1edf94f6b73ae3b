/** Hand-built request outcomes (what the pipeline hands observers) for record-format tests. */
import type { Identity, RequestInfo } from '../../src/context/request-context.js';
import { newTrace, type RequestOutcome, type RequestTrace } from '../../src/context/request-outcome.js';

export const ownerAccount = '111111111111';
export const partnerAccount = '222222222222';
export const ownerCanonical = 'a'.repeat(64);
export const requestStartMs = Date.UTC(2025, 1, 6, 0, 0, 38, 250);

export function rootOf(accountId: string, canonicalId = ownerCanonical): Identity {
  return {
    type: 'Root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, canonicalId,
    accessKeyId: 'AKIAROOTEXAMPLE00001', userName: null, roleArn: null, sessionName: null, mfaPresent: false, tokenIssueTimeMs: null,
  };
}

export function userOf(accountId: string, name: string): Identity {
  return {
    type: 'User', accountId, arn: `arn:aws:iam::${accountId}:user/${name}`, userId: 'AIDAEXAMPLEUSERID001', canonicalId: null,
    accessKeyId: 'AKIAUSEREXAMPLE00001', userName: name, roleArn: null, sessionName: null, mfaPresent: false, tokenIssueTimeMs: null,
  };
}

export function sessionOf(accountId: string, role: string, session: string): Identity {
  return {
    type: 'AssumedRole', accountId, arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${session}`, userId: `AROAEXAMPLEROLEID001:${session}`,
    canonicalId: null, accessKeyId: 'ASIASESSIONEXAMPLE01', userName: null, roleArn: `arn:aws:iam::${accountId}:role/${role}`, sessionName: session,
    mfaPresent: false, tokenIssueTimeMs: Date.UTC(2025, 1, 6, 0, 0, 0),
  };
}

export interface OutcomeInput {
  method?: string;
  path?: string;
  query?: string;
  host?: string;
  headers?: Record<string, string>;
  status?: number;
  bytesSent?: number;
  durationMs?: number;
  trace?: Partial<RequestTrace>;
}

export function outcomeOf(input: OutcomeInput = {}): RequestOutcome {
  const rawQuery = input.query ?? '';
  const query = new Map<string, string>();
  for (const part of rawQuery.split('&').filter(Boolean)) {
    const [name, value = ''] = part.split('=');
    query.set(decodeURIComponent(name!), decodeURIComponent(value));
  }
  const headers = { 'user-agent': 'aws-cli/2.15.0', ...(input.headers ?? {}) };
  const info: RequestInfo = {
    req: { socket: {}, httpVersion: '1.1' } as never,
    res: {} as never,
    method: input.method ?? 'GET',
    rawPath: input.path ?? '/',
    rawQuery,
    query,
    headers,
    host: input.host ?? 'localhost:4580',
    tls: false,
    sourceIp: '192.0.2.3',
    requestId: '3E57427F3EXAMPLE',
    hostId: 'hostid/EXAMPLE=',
    startMs: requestStartMs,
    userAgent: headers['user-agent'],
    trace: { ...newTrace(), ...(input.trace ?? {}) },
  };
  return { info, trace: info.trace, status: input.status ?? 200, bytesSent: input.bytesSent ?? 0, endMs: requestStartMs + (input.durationMs ?? 7) };
}
