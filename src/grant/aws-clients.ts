/**
 * AWS SDK v3 clients built the standard way: credentials from the default chain (or --profile),
 * region from --region / AWS_REGION / the profile, and — for S3-compatible endpoints such as
 * crossbucket — endpoint_url and ca_bundle from the flags, AWS_ENDPOINT_URL / AWS_CA_BUNDLE or the
 * profile in the shared config file (the JS SDK does not read ca_bundle itself).
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { KMSClient } from '@aws-sdk/client-kms';

export interface ConnectionOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  caBundle?: string;
}

export interface Connection {
  profile?: string;
  region: string;
  /** Undefined against AWS itself. */
  endpointUrl?: string;
  caBundle?: string;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s/.test(raw) && raw.trim() !== '') continue; // nested values (s3 = …) are not needed here
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = out[header[1]!.trim()] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && section) section[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

function configProfile(env: NodeJS.ProcessEnv, profile: string): Record<string, string> {
  const file = env.AWS_CONFIG_FILE ?? path.join(os.homedir(), '.aws', 'config');
  try {
    const ini = parseIni(readFileSync(file, 'utf8'));
    return (profile === 'default' ? ini.default : ini[`profile ${profile}`]) ?? {};
  } catch {
    return {};
  }
}

export function resolveConnection(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Connection {
  const profile = options.profile ?? env.AWS_PROFILE;
  const settings = configProfile(env, profile ?? 'default');
  const ignoreConfiguredEndpoint = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? settings.ignore_configured_endpoint_urls) === 'true';
  const endpointUrl = options.endpointUrl ?? (ignoreConfiguredEndpoint ? undefined : env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? settings.endpoint_url);
  return {
    ...(profile ? { profile } : {}),
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? settings.region ?? 'us-east-1',
    ...(endpointUrl ? { endpointUrl: endpointUrl.replace(/\/+$/, '') } : {}),
    ...((options.caBundle ?? env.AWS_CA_BUNDLE ?? settings.ca_bundle) ? { caBundle: options.caBundle ?? env.AWS_CA_BUNDLE ?? settings.ca_bundle } : {}),
  };
}

export function isAws(connection: Connection): boolean {
  return connection.endpointUrl === undefined || /\.amazonaws\.com(\.cn)?$/.test(new URL(connection.endpointUrl).hostname);
}

interface CommonConfig {
  region: string;
  maxAttempts: number;
  profile?: string;
  endpoint?: string;
  credentials?: AwsCredentials;
  requestHandler?: { httpsAgent: https.Agent };
}

function common(connection: Connection, credentials?: AwsCredentials, endpointOverride?: string): CommonConfig {
  const endpoint = endpointOverride ?? connection.endpointUrl;
  return {
    region: connection.region,
    maxAttempts: 3,
    ...(connection.profile && !credentials ? { profile: connection.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(connection.caBundle ? { requestHandler: { httpsAgent: new https.Agent({ ca: readFileSync(connection.caBundle, 'utf8'), keepAlive: true }) } } : {}),
  };
}

/** Path-style addressing for custom endpoints (an IP or localhost has no bucket subdomains). */
export function s3Client(connection: Connection, credentials?: AwsCredentials, endpointOverride?: string): S3Client {
  const config = common(connection, credentials, endpointOverride);
  return new S3Client({ ...config, forcePathStyle: config.endpoint !== undefined });
}
export function iamClient(connection: Connection): IAMClient {
  return new IAMClient(common(connection));
}
export function stsClient(connection: Connection, credentials?: AwsCredentials): STSClient {
  return new STSClient(common(connection, credentials));
}
export function kmsClient(connection: Connection): KMSClient {
  return new KMSClient(common(connection));
}

/** Details of an AWS service error for the one-line report (exit code 3). */
export interface AwsErrorInfo {
  service?: string;
  code: string;
  message: string;
  requestId?: string;
  httpStatusCode?: number;
}

export function awsErrorInfo(error: unknown, service?: string): AwsErrorInfo | null {
  if (!error || typeof error !== 'object' || !('$metadata' in error)) return null;
  const e = error as { name?: string; Code?: string; message?: string; $metadata?: { requestId?: string; extendedRequestId?: string; httpStatusCode?: number } };
  return {
    ...(service ? { service } : {}),
    code: e.Code ?? e.name ?? 'UnknownError',
    message: e.message ?? '',
    ...(e.$metadata?.requestId ? { requestId: e.$metadata.requestId } : {}),
    ...(e.$metadata?.httpStatusCode ? { httpStatusCode: e.$metadata.httpStatusCode } : {}),
  };
}

export function errorCode(error: unknown): string | undefined {
  return awsErrorInfo(error)?.code;
}

export function httpStatus(error: unknown): number | undefined {
  return awsErrorInfo(error)?.httpStatusCode;
}

/** An AWS error raised while planning or applying a step, carrying the step that failed. */
export class AwsStepError extends Error {
  override readonly name = 'AwsStepError';
  constructor(readonly step: string, readonly info: AwsErrorInfo) {
    super(`${step}: ${info.service ? `${info.service} ` : ''}${info.code}: ${info.message}${info.requestId ? ` (request ID ${info.requestId})` : ''}`);
  }
}

/** Run an AWS call; AWS errors become AwsStepError naming the step. */
export async function call<T>(step: string, service: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const info = awsErrorInfo(error, service);
    if (info) throw new AwsStepError(step, info);
    throw error;
  }
}

/**
 * IAM is eventually consistent: a role just created may be refused as a principal for a few
 * seconds ("Invalid principal in policy", MalformedPolicyDocumentException). Retry those only.
 */
export async function retryNewPrincipal<T>(run: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 500; ; delayMs = Math.min(delayMs * 2, 4000)) {
    try {
      return await run();
    } catch (error) {
      const info = awsErrorInfo(error);
      const retryable = info && /MalformedPolicy/.test(info.code) && /principal/i.test(info.message);
      if (!retryable || Date.now() + delayMs > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
