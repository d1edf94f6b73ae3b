/**
 * Minting STS credentials: a fresh ASIA… access key and secret, with the session's claims sealed
 * into the session token (no database row: the token is the session).
 */
import type { App } from '../../app.js';
import { sealSessionToken, type SessionClaims } from '../../identity/session-token.js';

export type SessionDescription = Omit<SessionClaims, 'v' | 'accessKeyId' | 'secretAccessKey' | 'issuedAtMs' | 'expiresAtMs'>;

export interface MintedCredentials {
  claims: SessionClaims;
  sessionToken: string;
}

export function mintCredentials(app: App, session: SessionDescription, durationSeconds: number): MintedCredentials {
  const issuedAtMs = app.clock.nowMs();
  const claims: SessionClaims = {
    v: 1,
    accessKeyId: app.ids.temporaryAccessKeyId(),
    secretAccessKey: app.ids.secretAccessKey(),
    issuedAtMs,
    expiresAtMs: issuedAtMs + durationSeconds * 1000,
    ...session,
  };
  return { claims, sessionToken: sealSessionToken(app.masterKey, claims) };
}

/** STS renders timestamps as ISO 8601 without milliseconds (2019-11-09T13:34:41Z). */
export function stsTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The <Credentials> element of AssumeRole / GetSessionToken results. */
export function credentialsElement(minted: MintedCredentials): Record<string, unknown> {
  return {
    AccessKeyId: minted.claims.accessKeyId,
    SecretAccessKey: minted.claims.secretAccessKey,
    SessionToken: minted.sessionToken,
    Expiration: stsTime(minted.claims.expiresAtMs),
  };
}
