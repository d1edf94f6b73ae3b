import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccountId, CanonicalId } from '../store/types.js';
import type { RequestTrace } from './request-outcome.js';

/** Who is calling, resolved from the access key (or anonymous). */
export interface Identity {
  type: 'Root' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Anonymous';
  accountId: AccountId | null;
  /** arn:aws:iam::ACCT:root | arn:aws:iam::ACCT:user/NAME | arn:aws:sts::ACCT:assumed-role/ROLE/SESSION; '*' for anonymous. */
  arn: string;
  /** aws:userid — account ID for root, AIDA… for users, AROA…:session for role sessions. */
  userId: string;
  canonicalId: CanonicalId | null;
  accessKeyId: string | null;
  userName: string | null;
  /** For role sessions: the role ARN. */
  roleArn: string | null;
  sessionName: string | null;
  mfaPresent: boolean;
  tokenIssueTimeMs: number | null;
  /** STS sessions: what the session token carries beyond the principal (absent for long-term keys). */
  session?: SessionContext | null;
}

/** Session facts that take part in authorization (from the sealed session token). */
export interface SessionContext {
  /** Inline session policy JSON text. */
  policy: string | null;
  /** Managed policy ARNs passed as session policies. */
  policyArns: string[];
  /** Session tags (override the role's tags for aws:PrincipalTag). */
  tags: Record<string, string>;
  transitiveTagKeys: string[];
  sourceIdentity: string | null;
  expiresAtMs: number;
  /** Obtained with role-session credentials (role chaining). */
  chained: boolean;
}

export const anonymousIdentity: Identity = {
  type: 'Anonymous',
  accountId: null,
  arn: '*',
  userId: 'anonymous',
  canonicalId: null,
  accessKeyId: null,
  userName: null,
  roleArn: null,
  sessionName: null,
  mfaPresent: false,
  tokenIssueTimeMs: null,
};

/** Everything known about one HTTP request before the service handles it. */
export interface RequestInfo {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path exactly as on the wire (still percent-encoded). */
  rawPath: string;
  /** Query string exactly as on the wire (without '?'). */
  rawQuery: string;
  /** Decoded query parameters (first value wins for duplicates; presence matters for subresources). */
  query: Map<string, string>;
  headers: Record<string, string | string[] | undefined>;
  host: string;
  tls: boolean;
  sourceIp: string;
  requestId: string;
  hostId: string;
  startMs: number;
  userAgent: string;
  /** Filled in as the request is processed; handed to observers (access logs, audit) at the end. */
  trace: RequestTrace;
}

export function header(info: { headers: Record<string, string | string[] | undefined> }, name: string): string | undefined {
  const value = info.headers[name];
  if (Array.isArray(value)) return value.join(',');
  return value;
}
