/**
 * STS session tokens: the session's claims (including its secret key) sealed with the master key
 * (AES-256-GCM, crypto/seal.ts), so a token cannot be forged or altered and needs no database row.
 * The token's access key ID (ASIA…) must match the request's; expiry is checked by the resolver.
 */
import { seal, open, SealError } from '../crypto/seal.js';

const tokenAad = 'crossbucket-sts-session-v1';

export interface SessionClaims {
  v: 1;
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  /** AssumedRole (AssumeRole), FederatedUser (GetFederationToken), or the caller type of GetSessionToken. */
  type: 'AssumedRole' | 'FederatedUser' | 'User' | 'Root';
  /** Principal ARN of the session (arn:aws:sts::A:assumed-role/R/S, user ARN, root ARN). */
  arn: string;
  /** aws:userid (AROA…:session for roles). */
  userId: string;
  /** Role ARN with path (AssumedRole only). */
  roleArn: string | null;
  roleName: string | null;
  sessionName: string | null;
  /** IAM user name (GetSessionToken by a user). */
  userName: string | null;
  issuedAtMs: number;
  expiresAtMs: number;
  /** Inline session policy JSON text (AssumeRole Policy). */
  sessionPolicy: string | null;
  /** Managed policy ARNs passed as session policies (AssumeRole PolicyArns). */
  sessionPolicyArns: string[];
  sourceIdentity: string | null;
  /** Session tags (aws:PrincipalTag/* for the session). */
  tags: Record<string, string>;
  transitiveTagKeys: string[];
  mfaPresent: boolean;
  /** True when this session was obtained with role-session credentials (role chaining, ≤ 1 h). */
  chained: boolean;
}

export function sealSessionToken(masterKey: Buffer, claims: SessionClaims): string {
  return seal(masterKey, Buffer.from(JSON.stringify(claims), 'utf8'), tokenAad).toString('base64');
}

/** The claims of a token made by sealSessionToken, or null when it is not one (forged, altered, foreign key). */
export function openSessionToken(masterKey: Buffer, token: string): SessionClaims | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return null;
  try {
    const claims = JSON.parse(open(masterKey, Buffer.from(token, 'base64'), tokenAad).toString('utf8')) as SessionClaims;
    return claims && claims.v === 1 ? claims : null;
  } catch (error) {
    if (error instanceof SealError || error instanceof SyntaxError) return null;
    throw error;
  }
}
