/** Pure parts of the grant workflow: validation, policy merge/unmerge, documents, plan, hand-off. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GrantInputError,
  parseMaxSession,
  validateAccountId,
  validateBucketName,
  validateClientName,
  validateExternalId,
  validateKmsKey,
  validatePrefix,
} from '../../src/grant/validate.js';
import { canonical, changedStatements, mergeStatements, parsePolicy, removeStatements, sameJson, type PolicyDocument } from '../../src/grant/policy-json.js';
import { clientBucketStatements, partnerPolicy, rolePermissionsPolicy, tlsOnlyStatement, trustPolicy, type GrantSpec } from '../../src/grant/documents.js';
import { generateExternalId } from '../../src/grant/grant-plan.js';
import { buildHandoff, renderHandoffMarkdown } from '../../src/grant/handoff.js';
import { renderPlan, pendingSteps, type Step } from '../../src/grant/plan.js';
import { isExternal, principalsOf, resourceReaches, statementReachesBucket, isTlsOnlyDeny } from '../../src/grant/review-match.js';

const spec: GrantSpec = {
  bucket: 'acme-uploads',
  client: 'acme',
  externalAccount: '222222222222',
  ownerAccount: '111111111111',
  partition: 'aws',
  access: 'read-write',
  prefix: '',
  maxSessionSeconds: 3600,
};

const rejects = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof GrantInputError && pattern.test(e.message) && !e.message.includes('\n'));

describe('input validation (one-line errors, exit code 2)', () => {
  it('account IDs are exactly 12 digits', () => {
    assert.equal(validateAccountId('222222222222'), '222222222222');
    for (const bad of ['22222222222', '2222222222222', '22222222222a', '', 'arn:aws:iam::222222222222:root']) rejects(() => validateAccountId(bad), /12-digit/);
  });
  it('bucket names follow the S3 "Bucket naming rules"', () => {
    for (const good of ['acme-uploads', 'a.b.c', '123', 'x'.repeat(63)]) assert.equal(validateBucketName(good), good);
    const cases: Array<[string, RegExp]> = [
      ['ab', /3 to 63/], ['x'.repeat(64), /3 to 63/], ['Acme', /lowercase/], ['acme_uploads', /lowercase/], ['-acme', /begin and end/],
      ['acme-', /begin and end/], ['a..b', /adjacent dots/], ['192.168.1.1', /IP address/], ['xn--abc', /xn--/], ['sthree-x', /sthree-/],
      ['abc-s3alias', /-s3alias/], ['abc--ol-s3', /--ol-s3/], ['amzn-s3-demo-x', /amzn-s3-demo-/],
    ];
    for (const [bad, why] of cases) rejects(() => validateBucketName(bad), why);
  });
  it('client names must be usable in IAM role names (<client>-ExtRole ≤ 64), Sids, tags and prefixes', () => {
    assert.equal(validateClientName('acme_corp-1'), 'acme_corp-1');
    for (const bad of ['', '-acme', 'acme corp', 'acme/x', 'acme.x', 'acme@x', 'ä']) rejects(() => validateClientName(bad), /letters, digits/);
    assert.equal(validateClientName('a'.repeat(56)).length, 56);
    rejects(() => validateClientName('a'.repeat(57)), /at most 56/);
  });
  it('prefixes end with / and carry no wildcards, policy variables or dot segments', () => {
    assert.equal(validatePrefix('incoming/'), 'incoming/');
    assert.equal(validatePrefix('a/b c/'), 'a/b c/');
    const cases: Array<[string, RegExp]> = [['', /empty/], ['/incoming/', /leading slash/], ['incoming', /end with/], ['in*/', /wildcards/], ['in?/', /wildcards/], ['${aws:username}/', /policy variable/], ['a//', /segments/], ['../', /segments/], ['a\n/', /control/]];
    for (const [bad, why] of cases) rejects(() => validatePrefix(bad), why);
  });
  it('max session: 1h to 12h (IAM MaxSessionDuration 3600–43200)', () => {
    assert.equal(parseMaxSession('1h'), 3600);
    assert.equal(parseMaxSession('90m'), 5400);
    assert.equal(parseMaxSession('43200s'), 43200);
    assert.equal(parseMaxSession('7200'), 7200);
    for (const bad of ['30m', '13h', 'one hour', '1d']) assert.throws(() => parseMaxSession(bad), GrantInputError);
  });
  it('external IDs: 2–1224 characters of [\\w+=,.@:/-] (STS AssumeRole)', () => {
    assert.equal(validateExternalId('HMI-acme'), 'HMI-acme');
    for (const bad of ['x', 'has space', 'x'.repeat(1225), 'semi;colon']) rejects(() => validateExternalId(bad), /external-id/);
  });
  it('--kms takes new, a key ID, a key ARN or an alias', () => {
    for (const good of ['new', '1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/my-key', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'mrk-1234abcd12ab34cd56ef1234567890ab']) assert.equal(validateKmsKey(good), good);
    for (const bad of ['old', 'my-key', 'arn:aws:s3:::bucket']) assert.throws(() => validateKmsKey(bad), GrantInputError);
  });
});

describe('policy merge keeps everyone else\'s statements', () => {
  const existing: PolicyDocument = {
    Statement: [
      { Sid: 'KeepMe', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-uploads/*' },
      { Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::acme-uploads' },
    ],
  };
  const desired = [tlsOnlyStatement('aws', 'acme-uploads'), ...clientBucketStatements(spec)];
  it('merge appends new Sids, keeps other statements verbatim and does not add a Version the owner left out', () => {
    const merged = mergeStatements(existing, desired);
    assert.deepEqual(merged.Statement.slice(0, 2), existing.Statement);
    assert.deepEqual(merged.Statement.slice(2), desired);
    assert.equal('Version' in merged, false);
    assert.equal(mergeStatements(null, desired).Version, '2012-10-17');
  });
  it('merge replaces a statement with the same Sid in place (rerun after a change of access)', () => {
    const first = mergeStatements(existing, desired);
    const readOnly = clientBucketStatements({ ...spec, access: 'read' });
    const second = mergeStatements(first, readOnly);
    assert.equal(second.Statement.length, first.Statement.length);
    assert.deepEqual(second.Statement.find((s) => s.Sid === 'crossbucket-acme-Objects')?.Action, 's3:GetObject');
    assert.deepEqual(second.Statement[0], existing.Statement[0]);
  });
  it('merging what is already there changes nothing (idempotent)', () => {
    const merged = mergeStatements(existing, desired);
    assert.deepEqual(changedStatements(merged, desired), []);
    assert.deepEqual(mergeStatements(merged, desired), merged);
  });
  it('remove takes out exactly the listed Sids; another client with a longer name survives', () => {
    const other = clientBucketStatements({ ...spec, client: 'acme-eu' });
    const merged = mergeStatements(mergeStatements(existing, desired), other);
    const removed = removeStatements(merged, ['crossbucket-acme-List', 'crossbucket-acme-Objects'])!;
    assert.deepEqual(removed.Statement.map((s) => s.Sid), ['KeepMe', undefined, 'crossbucket-DenyInsecureTransport', 'crossbucket-acme-eu-List', 'crossbucket-acme-eu-Objects']);
    assert.equal(removeStatements({ Statement: [desired[1]!] }, ['crossbucket-acme-List']), null);
  });
  it('comparison by meaning: boolean false equals "false", list order and one-element lists do not matter', () => {
    assert.ok(sameJson({ Bool: { 'aws:SecureTransport': false } }, { Bool: { 'aws:SecureTransport': 'false' } }));
    assert.ok(sameJson({ Action: ['s3:PutObject', 's3:GetObject'] }, { Action: ['s3:GetObject', 's3:PutObject'] }));
    assert.ok(sameJson({ Action: ['s3:GetObject'] }, { Action: 's3:GetObject' }));
    assert.ok(!sameJson({ Action: 's3:GetObject' }, { Action: 's3:PutObject' }));
    assert.deepEqual(canonical({ b: 1, a: [true] }), { a: 'true', b: '1' });
  });
  it('IAM documents come URL-encoded (GetRole, GetPolicyVersion); S3 and KMS return plain JSON; a lone Statement object is a list of one', () => {
    const doc = trustPolicy(spec, 'x-id');
    assert.deepEqual(parsePolicy(encodeURIComponent(JSON.stringify(doc))), doc);
    assert.deepEqual(parsePolicy(JSON.stringify({ Statement: doc.Statement[0] }))?.Statement, doc.Statement);
    assert.equal(parsePolicy(''), null);
  });
});

describe('documents grant writes', () => {
  it('read-write (default): ListBucket on the bucket, Get/Put/DeleteObject on its objects (scenarios.md runbook step 6)', () => {
    const doc = rolePermissionsPolicy(spec);
    assert.deepEqual(doc.Statement.map((s) => [s.Action, s.Resource]), [['s3:ListBucket', 'arn:aws:s3:::acme-uploads'], [['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], 'arn:aws:s3:::acme-uploads/*']]);
    for (const s of doc.Statement) assert.match(s.Sid!, /^[A-Za-z0-9]+$/, 'IAM Sids are alphanumeric');
  });
  it('--prefix confines objects and ListBucket (s3:prefix condition)', () => {
    const doc = rolePermissionsPolicy({ ...spec, prefix: 'incoming/', access: 'read' });
    assert.deepEqual(doc.Statement[0]!.Condition, { StringLike: { 's3:prefix': ['incoming/*'] } });
    assert.equal(doc.Statement[1]!.Resource, 'arn:aws:s3:::acme-uploads/incoming/*');
  });
  it('upload-only grants s3:PutObject only', () => {
    const doc = rolePermissionsPolicy({ ...spec, access: 'upload-only' });
    assert.equal(doc.Statement.length, 1);
    assert.equal(doc.Statement[0]!.Action, 's3:PutObject');
  });
  it('trust: the external account root, sts:AssumeRole, StringEquals sts:ExternalId (runbook step 7)', () => {
    const s = trustPolicy(spec, 'the-id').Statement[0]!;
    assert.deepEqual(s.Principal, { AWS: 'arn:aws:iam::222222222222:root' });
    assert.equal(s.Action, 'sts:AssumeRole');
    assert.deepEqual(s.Condition, { StringEquals: { 'sts:ExternalId': 'the-id' } });
  });
  it('TLS-only: Deny * s3:* on the bucket and its objects when aws:SecureTransport is false', () => {
    const s = tlsOnlyStatement('aws', 'acme-uploads');
    assert.ok(isTlsOnlyDeny(s));
    assert.deepEqual(s.Resource, ['arn:aws:s3:::acme-uploads', 'arn:aws:s3:::acme-uploads/*']);
  });
  it('the partner policy allows sts:AssumeRole on exactly the role ARN', () => {
    assert.deepEqual(partnerPolicy(spec).Statement, [{ Sid: 'AssumeCrossbucketRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111111111111:role/acme-ExtRole' }]);
  });
  it('generated external IDs are 32+ characters, valid for sts:ExternalId and unique', () => {
    const ids = new Set(Array.from({ length: 100 }, generateExternalId));
    assert.equal(ids.size, 100);
    for (const id of ids) {
      assert.ok(id.length >= 32);
      assert.equal(validateExternalId(id), id);
    }
  });
});

describe('plan rendering', () => {
  it('shows each resource with its JSON and the counts; no-change steps are not pending', () => {
    const steps: Step[] = [
      { resource: 'iam role acme-ExtRole', kind: 'create', summary: 'CreateRole', document: { a: 1 } },
      { resource: 's3 bucket acme-uploads', kind: 'no-change', summary: 'exists' },
      { resource: 's3 bucket policy acme-uploads', kind: 'update', summary: 'PutBucketPolicy' },
    ];
    const text = renderPlan('t', steps);
    assert.match(text, /\+ create\s+iam role acme-ExtRole/);
    assert.match(text, /"a": 1/);
    assert.match(text, /= no-change s3 bucket acme-uploads/);
    assert.match(text, /Plan: 1 to create, 1 to change, 0 to delete\./);
    assert.equal(pendingSteps(steps).length, 2);
    assert.match(renderPlan('t', [steps[1]!]), /Plan: nothing to change\./);
  });
});

describe('hand-off package', () => {
  const base = { spec, region: 'us-east-1', externalId: 'SeCrEt-external-id-0123456789abcdef', sourceProfile: 'partner', now: new Date('2025-01-01T00:00:00Z') };
  it('against AWS: role ARN, external ID, partner policy, a profile without endpoint_url/ca_bundle', () => {
    const h = buildHandoff(base);
    assert.equal(h.roleArn, 'arn:aws:iam::111111111111:role/acme-ExtRole');
    assert.match(h.awsConfigProfile, /^\[profile acme\]\nrole_arn = arn:aws:iam::111111111111:role\/acme-ExtRole\nsource_profile = partner\nexternal_id = SeCrEt-external-id-0123456789abcdef\nregion = us-east-1\n/);
    assert.doesNotMatch(h.awsConfigProfile, /endpoint_url|ca_bundle/);
    const md = renderHandoffMarkdown(h);
    for (const needle of [h.roleArn, h.externalId, '"sts:AssumeRole"', 'aws s3 cp', 'boto3.Session', 'AssumeRoleCommand', 'acme-uploads']) assert.ok(md.includes(needle), needle);
  });
  it('against an S3-compatible endpoint: endpoint_url, ca_bundle and path-style addressing in the profile', () => {
    const h = buildHandoff({ ...base, endpointUrl: 'https://localhost:4581', caBundle: '/data/tls/ca.pem' });
    assert.match(h.awsConfigProfile, /endpoint_url = https:\/\/localhost:4581\nca_bundle = \/data\/tls\/ca.pem\ns3 =\n {4}addressing_style = path\n/);
    assert.match(h.examples.javascript, /forcePathStyle: true/);
    assert.match(h.examples.javascript, /NODE_EXTRA_CA_CERTS=\/data\/tls\/ca.pem/);
  });
  it('examples follow the access level: upload-only shows no reads or listings', () => {
    const h = buildHandoff({ ...base, spec: { ...spec, access: 'upload-only', prefix: 'in/' } });
    assert.deepEqual(h.actions, ['s3:PutObject']);
    assert.doesNotMatch(h.examples.awsCli, /aws s3 ls/);
    assert.doesNotMatch(h.examples.boto3, /get_object|list_objects/);
    assert.match(h.examples.awsCli, /s3:\/\/acme-uploads\/in\/hello.txt/);
  });
});

describe('review matching', () => {
  it('principals outside the owner account: other accounts, their principals, * ; services and own account are not', () => {
    const ps = principalsOf({ AWS: ['arn:aws:iam::222222222222:root', '333333333333', 'arn:aws:iam::111111111111:role/x', '*'], Service: 'logging.s3.amazonaws.com' });
    assert.deepEqual(ps.map((p) => isExternal(p, '111111111111')), [true, true, false, true, false]);
    assert.deepEqual(principalsOf('*').map((p) => p.kind), ['public']);
  });
  it('resource patterns reaching the bucket', () => {
    const arn = 'arn:aws:s3:::acme-uploads';
    for (const r of [arn, `${arn}/*`, `${arn}/in/*`, '*', 'arn:aws:s3:::*', 'arn:aws:s3:::acme-*']) assert.ok(resourceReaches(r, arn), r);
    for (const r of ['arn:aws:s3:::other', 'arn:aws:s3:::acme-uploads-2/*', 'arn:aws:s3:::acme']) assert.ok(!resourceReaches(r, arn), r);
    assert.ok(statementReachesBucket({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }, arn));
    assert.ok(!statementReachesBucket({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }, arn));
    assert.ok(!statementReachesBucket({ Effect: 'Deny', Action: 's3:*', Resource: '*' }, arn));
  });
});
