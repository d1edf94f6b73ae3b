// S3 UG "Amazon S3 server access log format" (field order, '-' for unknown, time format) and
// "Logging requests with server access logging" (log object key formats); BucketLoggingStatus XML.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogLine, logObjectName, logOperationName, logTime, redactQuery } from '../../src/access-log/format.js';
import { parseLoggingStatus, renderLoggingStatus } from '../../src/access-log/config.js';
import { parseXml, toXml } from '../../src/protocol/xml.js';
import { outcomeOf, ownerAccount, ownerCanonical, sessionOf } from './helpers.js';

describe('server access log records', () => {
  it('writes the documented fields in order for a denied GET by a role session', () => {
    const identity = sessionOf(ownerAccount, 'CLIENT-ExtRole', 'partner');
    const outcome = outcomeOf({
      method: 'GET', path: '/data/dir/a%20b.txt', query: 'x-id=GetObject', status: 403, bytesSent: 243, durationMs: 12,
      headers: { 'user-agent': 'Boto3/1.34 "quoted"' },
      trace: { operation: 'GetObject', identity, bucket: 'data', key: 'dir/a b.txt', errorCode: 'AccessDenied', authType: 'AuthHeader' },
    });
    const line = formatLogLine(outcome, { bucketOwnerCanonicalId: ownerCanonical, bucket: 'data', key: 'dir/a b.txt', operation: 'GetObject', requester: identity.arn });
    const expected = [
      ownerCanonical, 'data', '[06/Feb/2025:00:00:38 +0000]', '192.0.2.3', identity.arn, '3E57427F3EXAMPLE', 'REST.GET.OBJECT', 'dir/a%20b.txt',
      '"GET /data/dir/a%20b.txt?x-id=GetObject HTTP/1.1"', '403', 'AccessDenied', '243', '-', '12', '-', '"-"', '"Boto3/1.34 \\"quoted\\""', '-',
      'hostid/EXAMPLE=', 'SigV4', '-', 'AuthHeader', 'localhost:4580', '-', '-', '-',
    ].join(' ');
    assert.equal(line, expected);
  });

  it('uses - for the requester of anonymous requests and for zero bytes', () => {
    const outcome = outcomeOf({ method: 'HEAD', path: '/data', trace: { operation: 'HeadBucket', bucket: 'data' } });
    const line = formatLogLine(outcome, { bucketOwnerCanonicalId: ownerCanonical, bucket: 'data', key: null, operation: 'HeadBucket', requester: null });
    assert.ok(line.startsWith(`${ownerCanonical} data [06/Feb/2025:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.HEAD.BUCKET - "HEAD /data HTTP/1.1" 200 - - - 7 - "-" `), line);
  });

  it('never writes a presigned URL\'s session token or signature (values redacted, other parameters kept)', () => {
    const query = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAEXAMPLE%2F20261202%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=SECRETTOKEN&X-Amz-Signature=abcdef&x-id=GetObject';
    const redacted = redactQuery(query);
    assert.ok(!redacted.includes('SECRETTOKEN') && !redacted.includes('abcdef'), redacted);
    assert.match(redacted, /X-Amz-Security-Token=REDACTED/);
    assert.match(redacted, /X-Amz-Signature=REDACTED/);
    assert.match(redacted, /X-Amz-Credential=ASIAEXAMPLE/);
    assert.match(redacted, /x-id=GetObject$/);
  });

  it('names operations as S3 does', () => {
    assert.equal(logOperationName('PutObject', 'PUT', true), 'REST.PUT.OBJECT');
    assert.equal(logOperationName('ListObjectsV2', 'GET', false), 'REST.GET.BUCKET');
    assert.equal(logOperationName('GetObjectTagging', 'GET', true), 'REST.GET.OBJECT_TAGGING');
    assert.equal(logOperationName('GetBucketVersioning', 'GET', false), 'REST.GET.VERSIONING');
    assert.equal(logOperationName('GetBucketLogging', 'GET', false), 'REST.GET.LOGGING_STATUS');
    assert.equal(logOperationName('DeleteObjects', 'POST', false), 'REST.POST.MULTI_OBJECT_DELETE');
    assert.equal(logOperationName(null, 'PATCH', true), 'REST.PATCH.OBJECT');
  });

  it('formats the time field like [06/Feb/2019:00:00:38 +0000]', () => {
    assert.equal(logTime(Date.UTC(2019, 1, 6, 0, 0, 38)), '[06/Feb/2019:00:00:38 +0000]');
  });
});

describe('log object names', () => {
  const base = { targetPrefix: 's3/CLIENT/', deliveryMs: Date.UTC(2025, 2, 9, 7, 5, 3), partitionMs: Date.UTC(2025, 2, 8), sourceAccountId: ownerAccount, sourceRegion: 'us-east-1', sourceBucket: 'data', uniqueString: '0123456789ABCDEF' };
  it('SimplePrefix: [TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString', () => {
    assert.equal(logObjectName({ ...base, partitioned: false }), 's3/CLIENT/2025-03-09-07-05-03-0123456789ABCDEF');
  });
  it('PartitionedPrefix: [TargetPrefix]Account/Region/Bucket/YYYY/MM/DD/YYYY-mm-DD-HH-MM-SS-UniqueString', () => {
    assert.equal(logObjectName({ ...base, partitioned: true }), `s3/CLIENT/${ownerAccount}/us-east-1/data/2025/03/08/2025-03-09-07-05-03-0123456789ABCDEF`);
  });
});

describe('BucketLoggingStatus XML', () => {
  it('round-trips TargetBucket, TargetPrefix, TargetGrants and PartitionedPrefix', () => {
    const xml = `<BucketLoggingStatus xmlns="http://doc.s3.amazonaws.com/2006-03-01"><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>s3/CLIENT/</TargetPrefix>
      <TargetGrants><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AuthenticatedUsers</URI></Grantee><Permission>READ</Permission></Grant></TargetGrants>
      <TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>DeliveryTime</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>`;
    const config = parseLoggingStatus(parseXml(xml)!.BucketLoggingStatus);
    assert.deepEqual(config, {
      targetBucket: 'logs', targetPrefix: 's3/CLIENT/',
      targetGrants: [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, permission: 'READ' }],
      keyFormat: { type: 'PartitionedPrefix', partitionDateSource: 'DeliveryTime' },
    });
    const rendered = toXml('BucketLoggingStatus', renderLoggingStatus(config), 'http://doc.s3.amazonaws.com/2006-03-01');
    assert.deepEqual(parseLoggingStatus(parseXml(rendered)!.BucketLoggingStatus), config);
  });

  it('treats an empty BucketLoggingStatus as "disable logging" and refuses bad key formats', () => {
    assert.equal(parseLoggingStatus({}), null);
    assert.throws(() => parseLoggingStatus({ LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: '', TargetObjectKeyFormat: { SimplePrefix: '', PartitionedPrefix: '' } } }), /MalformedXML/);
    assert.throws(() => parseLoggingStatus({ LoggingEnabled: { TargetPrefix: 'x' } }), /MalformedXML/);
  });
});
