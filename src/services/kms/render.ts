/** KeyMetadata as KMS returns it (timestamps are epoch seconds in JSON 1.1). */
import type { KeyDoc } from '../../kms/model.js';

export function seconds(ms: number): number {
  return ms / 1000;
}

export function keyMetadata(key: KeyDoc): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: seconds(key.creationDateMs),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.keyState,
    Origin: 'AWS_KMS',
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
  };
  if (key.keyState === 'PendingDeletion' && key.deletionDateMs !== null) {
    metadata.DeletionDate = seconds(key.deletionDateMs);
    metadata.PendingDeletionWindowInDays = key.pendingWindowInDays;
  }
  return metadata;
}
