/**
 * `crossbucket audit --endpoint-url/--profile`: the trail of a running endpoint (crossbucket or AWS),
 * read with CloudTrail LookupEvents as the caller's account sees it. Requests are SigV4-signed with
 * @smithy/signature-v4 (the SDK's own signer) using credentials from the standard chain; there is no
 * CloudTrail SDK client in our dependencies, and LookupEvents is one JSON call.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { resolveConnection, stsClient, type Connection } from '../grant/aws-clients.js';

// Node 20 is supported by the SDK versions in package-lock; its notice about later versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface RemoteQuery {
  profile?: string;
  endpointUrl?: string;
  region?: string;
  caBundle?: string;
  startMs: number | null;
  endMs: number | null;
  /** LookupAttributes allows one attribute per call (CloudTrail API reference). */
  attribute: { key: string; value: string } | null;
  limit: number;
}

export interface RemoteEvent {
  EventId: string;
  EventName: string;
  EventTime: number;
  Username?: string;
  CloudTrailEvent: string;
}

function post(connection: Connection, url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const agent = secure && connection.caBundle ? new https.Agent({ ca: readFileSync(connection.caBundle, 'utf8') }) : undefined;
    const request = (secure ? https : http).request(url, { method: 'POST', headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function lookUpRemoteEvents(query: RemoteQuery): Promise<RemoteEvent[]> {
  const connection = resolveConnection({ profile: query.profile, endpointUrl: query.endpointUrl, region: query.region, caBundle: query.caBundle });
  const credentials = await stsClient(connection).config.credentials();
  const url = new URL(connection.endpointUrl ?? `https://cloudtrail.${connection.region}.amazonaws.com`);
  const signer = new SignatureV4({ service: 'cloudtrail', region: connection.region, credentials, sha256: Sha256 });
  const events: RemoteEvent[] = [];
  let nextToken: string | undefined;
  do {
    const input: Record<string, unknown> = { MaxResults: Math.min(50, query.limit - events.length) };
    if (query.attribute) input.LookupAttributes = [{ AttributeKey: query.attribute.key, AttributeValue: query.attribute.value }];
    if (query.startMs !== null) input.StartTime = query.startMs / 1000;
    if (query.endMs !== null) input.EndTime = query.endMs / 1000;
    if (nextToken) input.NextToken = nextToken;
    const body = JSON.stringify(input);
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
      },
      body,
    });
    const response = await post(connection, new URL('/', url), signed.headers as Record<string, string>, body);
    const parsed = JSON.parse(response.text || '{}') as { Events?: RemoteEvent[]; NextToken?: string; __type?: string; message?: string; Message?: string };
    if (response.status !== 200) throw new Error(`LookupEvents failed: ${parsed.__type ?? response.status}: ${parsed.message ?? parsed.Message ?? response.text}`);
    events.push(...(parsed.Events ?? []));
    nextToken = parsed.NextToken;
  } while (nextToken && events.length < query.limit);
  return events;
}
