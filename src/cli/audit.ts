/**
 * `crossbucket audit [--data DIR] [filters] [--json]`: the CloudTrail-like trail of a data
 * directory, newest first, as a table or as CloudTrail's log-file JSON ({"Records": [...]}).
 * Reads the metadata database directly (SQLite allows it while a server runs).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteMetadataStore } from '../store/sqlite-metadata.js';
import type { AuditEventQuery, AuditEventRecord, MetadataStore } from '../store/types.js';

export const auditHelp = `Usage: crossbucket audit [options]

Prints the audit trail (every API call, allowed or denied), newest first: from a data directory, or
from a running endpoint (crossbucket or AWS) through CloudTrail LookupEvents as your account sees it.

Options:
  --data DIR          data directory (default ./crossbucket-data; CROSSBUCKET_DATA)
  --profile NAME      read from the endpoint with this profile's credentials (LookupEvents)
  --endpoint-url URL  endpoint to read from (default: the profile's endpoint_url, else AWS)
  --region REGION     region for the endpoint
  --ca-bundle FILE    CA certificate for the endpoint
  --account ACCOUNT   only this account's trail (12-digit ID or account name)
  --principal TEXT    only calls whose principal ARN contains TEXT (e.g. a role name)
  --bucket NAME       only calls on this bucket
  --event NAME        only this event name (e.g. PutObject, AssumeRole)
  --denied-only       only calls refused with AccessDenied
  --since TIME        from this time (ISO-8601, or relative: 30m, 2h, 7d)
  --until TIME        up to this time (same forms)
  --limit N           at most N events (default 1000)
  --json              CloudTrail log-file JSON: {"Records": [...]}
  -h, --help          this help

Examples:
  crossbucket audit --account owner --denied-only
  crossbucket audit --principal assumed-role/CLIENT-ExtRole --since 1h --json
  crossbucket audit --profile owner --event AssumeRole --since 1h     # from the endpoint
`;

export interface AuditIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  nowMs: () => number;
}

const processIo: AuditIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  nowMs: () => Date.now(),
};

/** ISO-8601 text or a relative age ("90s", "30m", "2h", "7d") → epoch ms. */
export function parseTimeArgument(text: string, nowMs: number): number {
  const relative = /^(\d+)([smhd])$/.exec(text.trim());
  if (relative) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return nowMs - Number(relative[1]) * unit;
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`not a time: ${text} (use ISO-8601 like 2024-05-01T12:00:00Z, or 30m / 2h / 7d)`);
  return ms;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

function tableRow(event: AuditEventRecord): string[] {
  const record = JSON.parse(event.record) as { sourceIPAddress?: string; sharedEventID?: string };
  return [
    new Date(event.eventTimeMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    event.accountId,
    event.eventSource.replace('.amazonaws.com', ''),
    event.eventName,
    event.principalArn ?? 'anonymous',
    event.resourceNames.find((name) => !name.startsWith('arn:')) ?? event.resourceNames[0] ?? '-',
    event.errorCode ?? 'OK',
    record.sourceIPAddress ?? '-',
  ];
}

async function resolveAccount(store: MetadataStore, value: string): Promise<string> {
  if (/^\d{12}$/.test(value)) return value;
  const account = await store.getAccountByName(value);
  if (!account) throw new Error(`no account named ${value}`);
  return account.id;
}

export async function runAuditCommand(argv: string[], io: AuditIo = processIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        account: { type: 'string' },
        principal: { type: 'string' },
        bucket: { type: 'string' },
        event: { type: 'string' },
        'denied-only': { type: 'boolean' },
        since: { type: 'string' },
        until: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        profile: { type: 'string' },
        'endpoint-url': { type: 'string' },
        region: { type: 'string' },
        'ca-bundle': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`crossbucket audit: ${(error as Error).message}\n\n${auditHelp}`);
    return 2;
  }
  if (values.help) {
    io.stdout(auditHelp);
    return 0;
  }
  if (values.profile !== undefined || values['endpoint-url'] !== undefined) return runRemote(values, io);
  const dataDir = path.resolve(values.data ?? io.env.CROSSBUCKET_DATA ?? './crossbucket-data');
  const dbPath = path.join(dataDir, 'metadata.db');
  if (!existsSync(dbPath)) {
    io.stderr(`crossbucket audit: no metadata database in ${dataDir} (run crossbucket serve --data ${dataDir} first)\n`);
    return 1;
  }
  const limit = Number(values.limit ?? 1000);
  if (!Number.isInteger(limit) || limit < 1) {
    io.stderr('crossbucket audit: --limit must be a positive integer\n');
    return 2;
  }
  const store = openSqliteMetadataStore(dbPath);
  try {
    const now = io.nowMs();
    const query: AuditEventQuery = {
      accountId: values.account ? await resolveAccount(store, values.account) : null,
      startMs: values.since ? parseTimeArgument(values.since, now) : null,
      endMs: values.until ? parseTimeArgument(values.until, now) : null,
      attribute: values.event ? { key: 'EventName', value: values.event } : null,
      principalContains: values.principal ?? null,
      bucket: values.bucket ?? null,
      deniedOnly: values['denied-only'] === true,
      limit,
    };
    const events = await store.queryAuditEvents(query);
    if (values.json) {
      io.stdout(JSON.stringify({ Records: events.map((event) => JSON.parse(event.record) as unknown) }, null, 2) + '\n');
    } else if (events.length === 0) {
      io.stdout('No events.\n');
    } else {
      io.stdout(table([['TIME', 'ACCOUNT', 'SERVICE', 'EVENT', 'PRINCIPAL', 'RESOURCE', 'RESULT', 'SOURCE IP'], ...events.map(tableRow)]));
    }
    return 0;
  } catch (error) {
    io.stderr(`crossbucket audit: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

interface RemoteValues {
  profile?: string;
  'endpoint-url'?: string;
  region?: string;
  'ca-bundle'?: string;
  account?: string;
  principal?: string;
  bucket?: string;
  event?: string;
  'denied-only'?: boolean;
  since?: string;
  until?: string;
  limit?: string;
  json?: boolean;
  data?: string;
}

/** Endpoint mode: LookupEvents takes one attribute; the other filters apply to what it returns. */
async function runRemote(values: RemoteValues, io: AuditIo): Promise<number> {
  if (values.account !== undefined || values.data !== undefined) {
    io.stderr('crossbucket audit: --account and --data read a data directory; with --profile/--endpoint-url the trail is the profile\'s own account\n');
    return 2;
  }
  const limit = Number(values.limit ?? 1000);
  if (!Number.isInteger(limit) || limit < 1) {
    io.stderr('crossbucket audit: --limit must be a positive integer\n');
    return 2;
  }
  try {
    const now = io.nowMs();
    const { lookUpRemoteEvents } = await import('../audit/remote.js');
    const attribute = values.event ? { key: 'EventName', value: values.event } : values.bucket ? { key: 'ResourceName', value: values.bucket } : null;
    const found = await lookUpRemoteEvents({
      profile: values.profile,
      endpointUrl: values['endpoint-url'],
      region: values.region,
      caBundle: values['ca-bundle'],
      startMs: values.since ? parseTimeArgument(values.since, now) : null,
      endMs: values.until ? parseTimeArgument(values.until, now) : null,
      attribute,
      limit,
    });
    const records = found
      .map((event) => JSON.parse(event.CloudTrailEvent) as Record<string, any>)
      .filter((record) => !values['denied-only'] || /AccessDenied/.test(String(record.errorCode ?? '')))
      .filter((record) => !values.principal || String(record.userIdentity?.arn ?? '').includes(values.principal))
      .filter((record) => !values.bucket || !values.event || JSON.stringify(record.resources ?? []).includes(values.bucket) || record.requestParameters?.bucketName === values.bucket);
    if (values.json) {
      io.stdout(JSON.stringify({ Records: records }, null, 2) + '\n');
    } else if (records.length === 0) {
      io.stdout('No events.\n');
    } else {
      const rows = records.map((record) => [
        String(record.eventTime ?? '-'),
        String(record.recipientAccountId ?? '-'),
        String(record.eventSource ?? '-').replace('.amazonaws.com', ''),
        String(record.eventName ?? '-'),
        String(record.userIdentity?.arn ?? (record.userIdentity?.accountId ? `account ${record.userIdentity.accountId}` : 'anonymous')),
        String(record.requestParameters?.bucketName ?? record.resources?.[0]?.ARN ?? '-'),
        String(record.errorCode ?? 'OK'),
        String(record.sourceIPAddress ?? '-'),
      ]);
      io.stdout(table([['TIME', 'ACCOUNT', 'SERVICE', 'EVENT', 'PRINCIPAL', 'RESOURCE', 'RESULT', 'SOURCE IP'], ...rows]));
    }
    return 0;
  } catch (error) {
    io.stderr(`crossbucket audit: ${(error as Error).message}\n`);
    return 3;
  }
}
