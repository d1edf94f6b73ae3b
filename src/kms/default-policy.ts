/**
 * Default key policies (KMS Developer Guide, "Default key policy"): a key created without Policy
 * gets the single statement that gives the account root full access, delegating to IAM policies.
 * AWS managed keys for S3 (alias/aws/s3) get the policy AWS attaches to them: use through S3 by
 * principals of the account, and direct read-only access for the account.
 */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

export function awsManagedS3KeyPolicy(accountId: string, region: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'auto-s3-2',
      Statement: [
        {
          Sid: 'Allow access through S3 for all principals in the account that are authorized to use S3',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': accountId, 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        },
        {
          Sid: 'Allow direct access to key metadata to the account',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${accountId}:root` },
          Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}
