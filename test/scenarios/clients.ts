/** SDK clients for scenario tests: any credentials, against a harness server, over HTTPS by default. */
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { S3Client } from '@aws-sdk/client-s3';
import type { Server, Credentials } from '../e2e/harness.js';

export interface AnyCredentials extends Credentials {
  sessionToken?: string;
}

export function iamClient(server: Server, credentials: AnyCredentials): IAMClient {
  return new IAMClient({ region: server.region, endpoint: server.httpsEndpoint, credentials, requestHandler: server.requestHandler(), maxAttempts: 1 });
}

export function stsClient(server: Server, credentials: AnyCredentials): STSClient {
  return new STSClient({ region: server.region, endpoint: server.httpsEndpoint, credentials, requestHandler: server.requestHandler(), maxAttempts: 1 });
}

export function s3Client(server: Server, credentials: AnyCredentials, options: { https?: boolean } = {}): S3Client {
  return new S3Client({
    region: server.region,
    endpoint: options.https === false ? server.httpEndpoint : server.httpsEndpoint,
    forcePathStyle: true,
    credentials,
    requestHandler: server.requestHandler(),
    maxAttempts: 1,
  });
}

/** The error name and message of a rejected SDK call (fails the test when the call succeeds). */
export async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to be rejected, but it succeeded');
}
