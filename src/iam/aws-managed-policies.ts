/**
 * The AWS managed policies this server knows (arn:aws:iam::aws:policy/NAME, path '/'). Documents
 * are AWS's published default versions at the time of writing, except ReadOnlyAccess.
 */
export interface AwsManagedPolicy {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description: string;
  defaultVersionId: string;
  document: string;
  createdAtMs: number;
  updatedAtMs: number;
}

function policy(name: string, id: string, versionId: string, description: string, created: string, updated: string, statement: unknown): AwsManagedPolicy {
  return {
    policyName: name,
    policyId: id,
    arn: `arn:aws:iam::aws:policy/${name}`,
    path: '/',
    description,
    defaultVersionId: versionId,
    document: JSON.stringify({ Version: '2012-10-17', Statement: statement }, null, 4),
    createdAtMs: Date.parse(created),
    updatedAtMs: Date.parse(updated),
  };
}

export const awsManagedPolicies: readonly AwsManagedPolicy[] = [
  policy('AdministratorAccess', 'ANPAIWMBCKSKIEE64ZLYK', 'v1', 'Provides full access to AWS services and resources.', '2015-02-06T18:39:46Z', '2015-02-06T18:39:46Z', [
    { Effect: 'Allow', Action: '*', Resource: '*' },
  ]),
  policy('AmazonS3FullAccess', 'ANPAIFIR6V6BVTRAHWINE', 'v2', 'Provides full access to all buckets via the AWS Management Console.', '2015-02-06T18:40:58Z', '2021-09-27T20:16:37Z', [
    { Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' },
  ]),
  policy('AmazonS3ReadOnlyAccess', 'ANPAIZTJ4DXE7G6AGAE6M', 'v3', 'Provides read only access to all buckets via the AWS Management Console.', '2015-02-06T18:40:59Z', '2023-08-10T21:31:39Z', [
    { Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' },
  ]),
  policy('IAMFullAccess', 'ANPAI7XKCFMBPM3QQRRVQ', 'v2', 'Provides full access to IAM via the AWS Management Console.', '2015-02-06T18:40:38Z', '2019-06-21T19:40:00Z', [
    {
      Effect: 'Allow',
      Action: [
        'iam:*',
        'organizations:DescribeAccount',
        'organizations:DescribeOrganization',
        'organizations:DescribeOrganizationalUnit',
        'organizations:DescribePolicy',
        'organizations:ListChildren',
        'organizations:ListParents',
        'organizations:ListPoliciesForTarget',
        'organizations:ListRoots',
        'organizations:ListPolicies',
        'organizations:ListTargetsForPolicy',
      ],
      Resource: '*',
    },
  ]),
  // AWS-DIFF: AWS's ReadOnlyAccess lists read actions of every AWS service (and is at a much later
  // version); ours covers the services this server implements (S3, IAM, STS, KMS, Organizations, CloudTrail).
  policy('ReadOnlyAccess', 'ANPAILL3HVNFSB6DCOWYQ', 'v1', 'Provides read-only access to AWS services and resources.', '2015-02-06T18:39:48Z', '2015-02-06T18:39:48Z', [
    {
      Sid: 'ReadOnlyActions',
      Effect: 'Allow',
      Action: [
        's3:Get*',
        's3:List*',
        's3:Describe*',
        'iam:Get*',
        'iam:List*',
        'iam:GenerateCredentialReport',
        'iam:GenerateServiceLastAccessedDetails',
        'iam:SimulateCustomPolicy',
        'iam:SimulatePrincipalPolicy',
        'sts:GetCallerIdentity',
        'sts:GetAccessKeyInfo',
        'sts:GetSessionToken',
        'kms:Describe*',
        'kms:Get*',
        'kms:List*',
        'organizations:Describe*',
        'organizations:List*',
        'cloudtrail:Describe*',
        'cloudtrail:Get*',
        'cloudtrail:List*',
        'cloudtrail:LookupEvents',
      ],
      Resource: '*',
    },
  ]),
];

const byArn = new Map(awsManagedPolicies.map((p) => [p.arn, p]));

export function getAwsManagedPolicy(arn: string): AwsManagedPolicy | null {
  return byArn.get(arn) ?? null;
}
