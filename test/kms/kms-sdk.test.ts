// KMS end to end with @aws-sdk/client-kms against a real server. Sources: KMS API Reference
// (CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion,
// CreateAlias, UpdateAlias, DeleteAlias, ListAliases, GetKeyPolicy, PutKeyPolicy, ListKeyPolicies,
// Encrypt, Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext), KMS Developer
// Guide "Key states of AWS KMS keys", "Default key policy", "Encryption context", "Allowing users
// in other accounts to use a KMS key".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyPolicyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeyPoliciesCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { startServer, type Server } from '../e2e/harness.js';

const ownerId = '111111111111';
const partnerId = '222222222222';

async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('KMS over the wire', () => {
  let server: Server;
  let owner: KMSClient;
  let partner: KMSClient;

  const kms = (profile: string) =>
    new KMSClient({ region: server.region, endpoint: server.httpEndpoint, credentials: server.credentials(profile), requestHandler: server.requestHandler(), maxAttempts: 1 });

  before(async () => {
    server = await startServer();
    owner = kms('owner');
    partner = kms('partner');
  });
  after(() => server?.close());

  it('CreateKey returns symmetric KeyMetadata and the documented default key policy', async () => {
    const created = await owner.send(new CreateKeyCommand({ Description: 'orders', Tags: [{ TagKey: 'team', TagValue: 'a' }] }));
    const meta = created.KeyMetadata!;
    assert.match(meta.KeyId!, /^[0-9a-f-]{36}$/);
    assert.equal(meta.Arn, `arn:aws:kms:${server.region}:${ownerId}:key/${meta.KeyId}`);
    assert.equal(meta.AWSAccountId, ownerId);
    assert.equal(meta.KeyState, 'Enabled');
    assert.equal(meta.Enabled, true);
    assert.equal(meta.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(meta.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(meta.KeyManager, 'CUSTOMER');
    assert.equal(meta.Description, 'orders');
    assert.ok(meta.CreationDate instanceof Date && Math.abs(meta.CreationDate.getTime() - Date.now()) < 60_000);
    const policy = JSON.parse((await owner.send(new GetKeyPolicyCommand({ KeyId: meta.KeyId, PolicyName: 'default' }))).Policy!);
    assert.deepEqual(policy.Statement, [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ownerId}:root` }, Action: 'kms:*', Resource: '*' },
    ]);
    const policies = await owner.send(new ListKeyPoliciesCommand({ KeyId: meta.Arn }));
    assert.deepEqual(policies.PolicyNames, ['default']);
    const keys = await owner.send(new ListKeysCommand({}));
    assert.ok(keys.Keys!.some((k) => k.KeyId === meta.KeyId && k.KeyArn === meta.Arn));
    const partnerKeys = await partner.send(new ListKeysCommand({}));
    assert.ok(!partnerKeys.Keys!.some((k) => k.KeyId === meta.KeyId), 'ListKeys lists only the caller account');
  });

  it('Encrypt/Decrypt by key ID, key ARN, alias name and alias ARN; Decrypt finds the key from the ciphertext', async () => {
    const { KeyMetadata: meta } = await owner.send(new CreateKeyCommand({}));
    await owner.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: meta!.KeyId }));
    const aliasArn = `arn:aws:kms:${server.region}:${ownerId}:alias/orders`;
    for (const keyId of [meta!.KeyId!, meta!.Arn!, 'alias/orders', aliasArn]) {
      const encrypted = await owner.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(`secret via ${keyId}`) }));
      assert.equal(encrypted.KeyId, meta!.Arn);
      assert.equal(encrypted.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
      assert.ok(!Buffer.from(encrypted.CiphertextBlob!).includes(Buffer.from('secret via')));
      const decrypted = await owner.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      assert.equal(Buffer.from(decrypted.Plaintext!).toString(), `secret via ${keyId}`);
      assert.equal(decrypted.KeyId, meta!.Arn);
    }
    const aliases = await owner.send(new ListAliasesCommand({ KeyId: meta!.KeyId }));
    assert.deepEqual(aliases.Aliases!.map((a) => [a.AliasName, a.AliasArn, a.TargetKeyId]), [['alias/orders', aliasArn, meta!.KeyId]]);
    await rejectsWith(owner.send(new CreateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: meta!.KeyId })), 'AlreadyExistsException');
    await rejectsWith(owner.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: meta!.KeyId })), 'NotAuthorizedException');
    await rejectsWith(owner.send(new EncryptCommand({ KeyId: 'alias/missing', Plaintext: Buffer.from('x') })), 'NotFoundException', /alias\/missing is not found/);
    await rejectsWith(owner.send(new EncryptCommand({ KeyId: '11111111-2222-3333-4444-555555555555', Plaintext: Buffer.from('x') })), 'NotFoundException', /does not exist/);
    // UpdateAlias points the alias at another key; DeleteAlias removes it.
    const { KeyMetadata: other } = await owner.send(new CreateKeyCommand({}));
    await owner.send(new UpdateAliasCommand({ AliasName: 'alias/orders', TargetKeyId: other!.KeyId }));
    const viaAlias = await owner.send(new EncryptCommand({ KeyId: 'alias/orders', Plaintext: Buffer.from('x') }));
    assert.equal(viaAlias.KeyId, other!.Arn);
    await owner.send(new DeleteAliasCommand({ AliasName: 'alias/orders' }));
    await rejectsWith(owner.send(new DescribeKeyCommand({ KeyId: 'alias/orders' })), 'NotFoundException');
  });

  it('encryption context is bound into the ciphertext: a different context fails with InvalidCiphertextException', async () => {
    const { KeyMetadata: meta } = await owner.send(new CreateKeyCommand({}));
    const context = { department: 'finance', project: 'alpha' };
    const { CiphertextBlob } = await owner.send(new EncryptCommand({ KeyId: meta!.KeyId, Plaintext: Buffer.from('payroll'), EncryptionContext: context }));
    const ok = await owner.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { project: 'alpha', department: 'finance' } }));
    assert.equal(Buffer.from(ok.Plaintext!).toString(), 'payroll');
    await rejectsWith(owner.send(new DecryptCommand({ CiphertextBlob })), 'InvalidCiphertextException');
    await rejectsWith(owner.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { department: 'finance', project: 'beta' } })), 'InvalidCiphertextException');
    const flipped = Buffer.from(CiphertextBlob!);
    flipped[flipped.length - 1]! ^= 1;
    await rejectsWith(owner.send(new DecryptCommand({ CiphertextBlob: flipped, EncryptionContext: context })), 'InvalidCiphertextException');
    await rejectsWith(owner.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a kms ciphertext') })), 'InvalidCiphertextException');
    // Decrypt with a KeyId that is not the ciphertext's key.
    const { KeyMetadata: other } = await owner.send(new CreateKeyCommand({}));
    await rejectsWith(owner.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context, KeyId: other!.KeyId })), 'IncorrectKeyException');
    // ReEncrypt moves the ciphertext to another key and context.
    const moved = await owner.send(new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: other!.Arn, DestinationEncryptionContext: { v: '2' } }));
    assert.equal(moved.SourceKeyId, meta!.Arn);
    assert.equal(moved.KeyId, other!.Arn);
    const back = await owner.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { v: '2' } }));
    assert.equal(Buffer.from(back.Plaintext!).toString(), 'payroll');
  });

  it('GenerateDataKey (KeySpec / NumberOfBytes) and GenerateDataKeyWithoutPlaintext', async () => {
    const { KeyMetadata: meta } = await owner.send(new CreateKeyCommand({}));
    const dataKey = await owner.send(new GenerateDataKeyCommand({ KeyId: meta!.KeyId, KeySpec: 'AES_256', EncryptionContext: { a: 'b' } }));
    assert.equal(dataKey.Plaintext!.length, 32);
    assert.equal(dataKey.KeyId, meta!.Arn);
    const unwrapped = await owner.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: { a: 'b' } }));
    assert.deepEqual(Buffer.from(unwrapped.Plaintext!), Buffer.from(dataKey.Plaintext!));
    const short = await owner.send(new GenerateDataKeyCommand({ KeyId: meta!.KeyId, NumberOfBytes: 16 }));
    assert.equal(short.Plaintext!.length, 16);
    const blind = await owner.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: meta!.KeyId, KeySpec: 'AES_128' }));
    assert.equal((blind as unknown as Record<string, unknown>).Plaintext, undefined);
    assert.equal((await owner.send(new DecryptCommand({ CiphertextBlob: blind.CiphertextBlob }))).Plaintext!.length, 16);
    await rejectsWith(owner.send(new GenerateDataKeyCommand({ KeyId: meta!.KeyId })), 'ValidationException');
    await rejectsWith(owner.send(new GenerateDataKeyCommand({ KeyId: meta!.KeyId, NumberOfBytes: 2000 })), 'ValidationException');
  });

  it('key states: Disabled → DisabledException, PendingDeletion → KMSInvalidStateException, cancel → Disabled', async () => {
    const { KeyMetadata: meta } = await owner.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await owner.send(new EncryptCommand({ KeyId: meta!.KeyId, Plaintext: Buffer.from('x') }));
    await owner.send(new DisableKeyCommand({ KeyId: meta!.KeyId }));
    assert.equal((await owner.send(new DescribeKeyCommand({ KeyId: meta!.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
    await rejectsWith(owner.send(new EncryptCommand({ KeyId: meta!.KeyId, Plaintext: Buffer.from('x') })), 'DisabledException', /is disabled/);
    await rejectsWith(owner.send(new DecryptCommand({ CiphertextBlob })), 'DisabledException');
    await owner.send(new EnableKeyCommand({ KeyId: meta!.Arn }));
    assert.equal((await owner.send(new DecryptCommand({ CiphertextBlob }))).KeyId, meta!.Arn);

    await rejectsWith(owner.send(new ScheduleKeyDeletionCommand({ KeyId: meta!.KeyId, PendingWindowInDays: 6 })), 'ValidationException');
    await rejectsWith(owner.send(new ScheduleKeyDeletionCommand({ KeyId: meta!.KeyId, PendingWindowInDays: 31 })), 'ValidationException');
    const before = Date.now();
    const scheduled = await owner.send(new ScheduleKeyDeletionCommand({ KeyId: meta!.KeyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyId, meta!.Arn);
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.equal(scheduled.PendingWindowInDays, 7);
    const days = (scheduled.DeletionDate!.getTime() - before) / 86_400_000;
    assert.ok(days > 6.99 && days < 7.01, `deletion in ${days} days`);
    const described = (await owner.send(new DescribeKeyCommand({ KeyId: meta!.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, 'PendingDeletion');
    assert.equal(described.Enabled, false);
    assert.equal(described.DeletionDate!.getTime(), scheduled.DeletionDate!.getTime());
    await rejectsWith(owner.send(new DecryptCommand({ CiphertextBlob })), 'KMSInvalidStateException', /pending deletion/);
    await rejectsWith(owner.send(new EnableKeyCommand({ KeyId: meta!.KeyId })), 'KMSInvalidStateException');
    await rejectsWith(owner.send(new ScheduleKeyDeletionCommand({ KeyId: meta!.KeyId })), 'KMSInvalidStateException');
    const cancelled = await owner.send(new CancelKeyDeletionCommand({ KeyId: meta!.KeyId }));
    assert.equal(cancelled.KeyId, meta!.Arn);
    assert.equal((await owner.send(new DescribeKeyCommand({ KeyId: meta!.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
    await rejectsWith(owner.send(new CancelKeyDeletionCommand({ KeyId: meta!.KeyId })), 'KMSInvalidStateException');
  });

  it('PutKeyPolicy validates the policy grammar (MalformedPolicyDocumentException)', async () => {
    const { KeyMetadata: meta } = await owner.send(new CreateKeyCommand({}));
    await rejectsWith(owner.send(new PutKeyPolicyCommand({ KeyId: meta!.KeyId, PolicyName: 'default', Policy: '{"Statement": "nope"' })), 'MalformedPolicyDocumentException');
    await rejectsWith(owner.send(new CreateKeyCommand({ Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}' })), 'MalformedPolicyDocumentException');
  });

  it('DescribeKey of alias/aws/s3 creates the AWS managed key on first use', async () => {
    const meta = (await owner.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    assert.equal(meta.KeyManager, 'AWS');
    const again = (await owner.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    assert.equal(again.KeyId, meta.KeyId);
    const aliases = await owner.send(new ListAliasesCommand({}));
    assert.ok(aliases.Aliases!.some((a) => a.AliasName === 'alias/aws/s3' && a.TargetKeyId === meta.KeyId));
  });

  describe('cross-account use (key policy AND the caller account must allow)', () => {
    it('partner cannot use a key whose policy does not name it, even by key ARN', async () => {
      const { KeyMetadata: meta } = await owner.send(new CreateKeyCommand({}));
      await rejectsWith(partner.send(new EncryptCommand({ KeyId: meta!.Arn, Plaintext: Buffer.from('x') })), 'AccessDeniedException', /kms:Encrypt/);
      // Key IDs and alias names resolve in the caller's own account.
      await rejectsWith(partner.send(new EncryptCommand({ KeyId: meta!.KeyId, Plaintext: Buffer.from('x') })), 'NotFoundException');
    });

    it('partner root may Encrypt/Decrypt with the key ARN once the key policy allows the partner account', async () => {
      const policy = {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ownerId}:root` }, Action: 'kms:*', Resource: '*' },
          { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${partnerId}:root` }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
        ],
      };
      const { KeyMetadata: meta } = await owner.send(new CreateKeyCommand({ Policy: JSON.stringify(policy) }));
      const encrypted = await partner.send(new EncryptCommand({ KeyId: meta!.Arn, Plaintext: Buffer.from('shared') }));
      const decrypted = await partner.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      assert.equal(Buffer.from(decrypted.Plaintext!).toString(), 'shared');
      // Actions the key policy does not grant stay denied.
      await rejectsWith(partner.send(new GenerateDataKeyCommand({ KeyId: meta!.Arn, KeySpec: 'AES_256' })), 'AccessDeniedException');
      // Management operations never work across accounts.
      await rejectsWith(partner.send(new DisableKeyCommand({ KeyId: meta!.Arn })), 'NotFoundException');
    });
  });
});
