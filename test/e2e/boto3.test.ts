/**
 * boto3 with its defaults (1.36+: CRC32 request checksums "when supported"), configured only by the
 * generated credentials/config files (HTTPS endpoint + CA bundle). Skipped with a printed reason when
 * python3 cannot import boto3.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, hasBoto3, type Server } from './harness.js';
import { quotedMd5, crc32Base64 } from './expect.js';

const skip = !hasBoto3() && 'boto3 not importable';

const script = String.raw`
import hashlib, json, os, ssl, tempfile, traceback, urllib.request
import boto3
from botocore.exceptions import ClientError

results = {}
def record(name, value):
    results[name] = value

def step(name, fn):
    """Run one step; a failure is recorded (with the S3 error code) and the script goes on."""
    try:
        fn()
    except ClientError as e:
        results["error:" + name] = "%s %s: %s" % (e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"), e.response.get("Error", {}).get("Code"), e)
    except Exception as e:
        results["error:" + name] = traceback.format_exc(limit=3)

session = boto3.Session(profile_name="owner")
s3 = session.client("s3")
record("endpoint", s3.meta.endpoint_url)
bucket = os.environ["E2E_BUCKET"]
context = ssl.create_default_context(cafile=os.environ["E2E_CA"])

def put_get():
    s3.create_bucket(Bucket=bucket)
    put = s3.put_object(Bucket=bucket, Key="hello.txt", Body=b"hello boto3", ContentType="text/plain", Metadata={"lang": "python"})
    record("put_etag", put["ETag"])
    record("put_crc32", put.get("ChecksumCRC32"))
    got = s3.get_object(Bucket=bucket, Key="hello.txt", ChecksumMode="ENABLED")
    record("get_body", got["Body"].read().decode())
    record("get_crc32", got.get("ChecksumCRC32"))
    record("get_metadata", got["Metadata"])
    record("get_content_type", got["ContentType"])
step("put_get", put_get)

def listing():
    for i in range(5):
        s3.put_object(Bucket=bucket, Key="list/%d" % i, Body=b"x" * i)
    page = s3.list_objects_v2(Bucket=bucket, Prefix="list/", MaxKeys=2)
    record("list_first_page", [o["Key"] for o in page["Contents"]])
    keys = []
    for p in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="list/", PaginationConfig={"PageSize": 2}):
        keys += [o["Key"] for o in p.get("Contents", [])]
    record("list_all", keys)
    delimited = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    record("common_prefixes", [p["Prefix"] for p in delimited.get("CommonPrefixes", [])])
step("listing", listing)

def multipart():
    tmp = tempfile.mkdtemp()
    src = os.path.join(tmp, "big.bin")
    data = os.urandom(20 * 1024 * 1024)
    with open(src, "wb") as f:
        f.write(data)
    s3.upload_file(src, bucket, "big.bin")
    head = s3.head_object(Bucket=bucket, Key="big.bin", ChecksumMode="ENABLED")
    record("big_etag", head["ETag"])
    record("big_length", head["ContentLength"])
    record("big_checksum_type", head.get("ChecksumType"))
    dst = os.path.join(tmp, "big.back")
    s3.download_file(bucket, "big.bin", dst)
    with open(dst, "rb") as f:
        record("big_roundtrip", hashlib.sha256(f.read()).hexdigest() == hashlib.sha256(data).hexdigest())
step("multipart", multipart)

def presign():
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "hello.txt"}, ExpiresIn=300)
    record("presign_url_https", url.startswith("https://"))
    with urllib.request.urlopen(url, context=context) as response:
        record("presign_status", response.status)
        record("presign_body", response.read().decode())
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "presigned-put.txt"}, ExpiresIn=300)
    request = urllib.request.Request(put_url, data=b"via presigned put", method="PUT")
    with urllib.request.urlopen(request, context=context) as response:
        record("presign_put_status", response.status)
    record("presign_put_body", s3.get_object(Bucket=bucket, Key="presigned-put.txt")["Body"].read().decode())
step("presign", presign)

def delete_objects():
    deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "list/%d" % i} for i in range(5)] + [{"Key": "never-existed"}]})
    record("deleted", sorted(d["Key"] for d in deleted.get("Deleted", [])))
    record("delete_errors", deleted.get("Errors", []))
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "hello.txt"}], "Quiet": True})
    record("quiet_deleted", quiet.get("Deleted", []))
step("delete_objects", delete_objects)

def errors():
    try:
        s3.get_object(Bucket=bucket, Key="hello.txt")
        record("missing_code", None)
    except ClientError as e:
        record("missing_code", e.response.get("Error", {}).get("Code"))
        record("missing_status", e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
    partner = boto3.Session(profile_name="partner").client("s3")
    try:
        partner.get_object(Bucket=bucket, Key="big.bin")
        record("partner_code", None)
    except ClientError as e:
        record("partner_code", e.response.get("Error", {}).get("Code"))
step("errors", errors)

step("sts", lambda: record("caller", session.client("sts").get_caller_identity()["Arn"]))
print(json.dumps(results))
`;

describe('boto3 with default settings over HTTPS', { skip }, () => {
  let server: Server;
  let results: Record<string, any> = {};
  /** Fail with the step's own error (S3 code or traceback) when the python step raised. */
  const stepOk = (name: string) => assert.equal(results[`error:${name}`], undefined, `boto3 step ${name} raised`);

  before(async () => {
    server = await startServer();
    const run = await server.python(script, { E2E_BUCKET: 'boto3-e2e', E2E_CA: server.info.caPath });
    assert.equal(run.code, 0, `python failed:\n${run.stderr}\n${run.stdout}`);
    results = JSON.parse(run.stdout.trim().split('\n').pop()!);
  });
  after(async () => {
    await server?.close();
  });

  it('the client picks up endpoint_url from the generated config (HTTPS)', () => {
    assert.equal(results.endpoint, server.httpsEndpoint);
  });

  it('put_object/get_object with the default CRC32 checksum; ChecksumMode ENABLED returns it', () => {
    stepOk('put_get');
    assert.equal(results.put_etag, quotedMd5('hello boto3'));
    assert.equal(results.put_crc32, crc32Base64(Buffer.from('hello boto3')), 'PutObject echoes x-amz-checksum-crc32');
    assert.equal(results.get_crc32, results.put_crc32);
    assert.equal(results.get_body, 'hello boto3');
    assert.deepEqual(results.get_metadata, { lang: 'python' });
    assert.equal(results.get_content_type, 'text/plain');
  });

  it('list_objects_v2 pages (MaxKeys, paginator) and CommonPrefixes', () => {
    stepOk('listing');
    assert.deepEqual(results.list_first_page, ['list/0', 'list/1']);
    assert.deepEqual(results.list_all, ['list/0', 'list/1', 'list/2', 'list/3', 'list/4']);
    assert.deepEqual(results.common_prefixes, ['list/']);
  });

  it('upload_file of 20 MiB goes multipart (s3transfer 8 MiB chunks → "-3") and download_file round-trips', () => {
    stepOk('multipart');
    assert.match(results.big_etag, /^"[0-9a-f]{32}-3"$/);
    assert.equal(results.big_length, 20 * 1024 * 1024);
    assert.equal(results.big_roundtrip, true);
    assert.ok(['COMPOSITE', 'FULL_OBJECT'].includes(results.big_checksum_type), `ChecksumType ${results.big_checksum_type}`);
  });

  it('generate_presigned_url GET and PUT work over HTTPS with the CA bundle', () => {
    stepOk('presign');
    assert.equal(results.presign_url_https, true);
    assert.equal(results.presign_status, 200);
    assert.equal(results.presign_body, 'hello boto3');
    assert.equal(results.presign_put_status, 200);
    assert.equal(results.presign_put_body, 'via presigned put');
  });

  it('delete_objects reports every key (missing ones too); Quiet reports none', () => {
    stepOk('delete_objects');
    assert.deepEqual(results.deleted, ['list/0', 'list/1', 'list/2', 'list/3', 'list/4', 'never-existed']);
    assert.deepEqual(results.delete_errors, []);
    assert.deepEqual(results.quiet_deleted, []);
  });

  it('errors: NoSuchKey (404) after delete; partner gets AccessDenied', () => {
    stepOk('errors');
    assert.equal(results.missing_code, 'NoSuchKey');
    assert.equal(results.missing_status, 404);
    assert.equal(results.partner_code, 'AccessDenied');
  });

  it('sts get_caller_identity → arn:aws:iam::111111111111:root', () => {
    stepOk('sts');
    assert.equal(results.caller, 'arn:aws:iam::111111111111:root');
  });
});
