/**
 * S3 REST routing: which operation does (method, bucket?, key?, subresource, headers) name?
 * A declarative table (as in Garage's router): the first matching row wins, so rows with
 * more specific guards come first. Operation names are AWS's.
 */
export type S3Level = 'service' | 'bucket' | 'object';

export interface S3Route {
  operation: string;
  method: string;
  level: S3Level;
  /** Query parameter that must be present (a subresource such as 'acl' or 'uploadId'). */
  subresource?: string;
  /** Further query parameters that must be present. */
  alsoQuery?: string[];
  /** Request header that must be present. */
  header?: string;
  /** Query parameter value guard, e.g. list-type=2. */
  queryEquals?: [string, string];
}

// Subresources S3 knows; a request naming one we do not route is NotImplemented, never misrouted.
const knownSubresources = new Set([
  'acl', 'accelerate', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory',
  'legal-hold', 'lifecycle', 'location', 'logging', 'metrics', 'notification', 'object-lock', 'ownershipControls',
  'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select',
  'tagging', 'torrent', 'uploadId', 'uploads', 'versioning', 'versions', 'website', 'partNumber', 'session', 'renameObject',
  'metadataConfiguration', 'metadataTable',
]);

const routes: S3Route[] = [
  { operation: 'ListBuckets', method: 'GET', level: 'service' },

  // bucket level
  { operation: 'GetBucketLocation', method: 'GET', level: 'bucket', subresource: 'location' },
  { operation: 'ListMultipartUploads', method: 'GET', level: 'bucket', subresource: 'uploads' },
  { operation: 'GetBucketPolicy', method: 'GET', level: 'bucket', subresource: 'policy' },
  { operation: 'GetBucketPolicyStatus', method: 'GET', level: 'bucket', subresource: 'policyStatus' },
  { operation: 'GetBucketAcl', method: 'GET', level: 'bucket', subresource: 'acl' },
  { operation: 'GetBucketVersioning', method: 'GET', level: 'bucket', subresource: 'versioning' },
  { operation: 'GetBucketTagging', method: 'GET', level: 'bucket', subresource: 'tagging' },
  { operation: 'GetBucketOwnershipControls', method: 'GET', level: 'bucket', subresource: 'ownershipControls' },
  { operation: 'GetPublicAccessBlock', method: 'GET', level: 'bucket', subresource: 'publicAccessBlock' },
  { operation: 'GetBucketEncryption', method: 'GET', level: 'bucket', subresource: 'encryption' },
  { operation: 'GetBucketLogging', method: 'GET', level: 'bucket', subresource: 'logging' },
  { operation: 'ListObjectVersions', method: 'GET', level: 'bucket', subresource: 'versions' },
  { operation: 'ListObjectsV2', method: 'GET', level: 'bucket', queryEquals: ['list-type', '2'] },
  { operation: 'ListObjects', method: 'GET', level: 'bucket' },
  { operation: 'HeadBucket', method: 'HEAD', level: 'bucket' },
  { operation: 'PutBucketPolicy', method: 'PUT', level: 'bucket', subresource: 'policy' },
  { operation: 'PutBucketAcl', method: 'PUT', level: 'bucket', subresource: 'acl' },
  { operation: 'PutBucketVersioning', method: 'PUT', level: 'bucket', subresource: 'versioning' },
  { operation: 'PutBucketTagging', method: 'PUT', level: 'bucket', subresource: 'tagging' },
  { operation: 'PutBucketOwnershipControls', method: 'PUT', level: 'bucket', subresource: 'ownershipControls' },
  { operation: 'PutPublicAccessBlock', method: 'PUT', level: 'bucket', subresource: 'publicAccessBlock' },
  { operation: 'PutBucketEncryption', method: 'PUT', level: 'bucket', subresource: 'encryption' },
  { operation: 'PutBucketLogging', method: 'PUT', level: 'bucket', subresource: 'logging' },
  { operation: 'CreateBucket', method: 'PUT', level: 'bucket' },
  { operation: 'DeleteBucketPolicy', method: 'DELETE', level: 'bucket', subresource: 'policy' },
  { operation: 'DeleteBucketTagging', method: 'DELETE', level: 'bucket', subresource: 'tagging' },
  { operation: 'DeleteBucketOwnershipControls', method: 'DELETE', level: 'bucket', subresource: 'ownershipControls' },
  { operation: 'DeletePublicAccessBlock', method: 'DELETE', level: 'bucket', subresource: 'publicAccessBlock' },
  { operation: 'DeleteBucketEncryption', method: 'DELETE', level: 'bucket', subresource: 'encryption' },
  { operation: 'DeleteBucket', method: 'DELETE', level: 'bucket' },
  { operation: 'DeleteObjects', method: 'POST', level: 'bucket', subresource: 'delete' },

  // object level
  { operation: 'UploadPartCopy', method: 'PUT', level: 'object', subresource: 'uploadId', alsoQuery: ['partNumber'], header: 'x-amz-copy-source' },
  { operation: 'UploadPart', method: 'PUT', level: 'object', subresource: 'uploadId', alsoQuery: ['partNumber'] },
  { operation: 'PutObjectTagging', method: 'PUT', level: 'object', subresource: 'tagging' },
  { operation: 'PutObjectAcl', method: 'PUT', level: 'object', subresource: 'acl' },
  { operation: 'CopyObject', method: 'PUT', level: 'object', header: 'x-amz-copy-source' },
  { operation: 'PutObject', method: 'PUT', level: 'object' },
  { operation: 'GetObjectTagging', method: 'GET', level: 'object', subresource: 'tagging' },
  { operation: 'GetObjectAcl', method: 'GET', level: 'object', subresource: 'acl' },
  { operation: 'GetObjectAttributes', method: 'GET', level: 'object', subresource: 'attributes' },
  { operation: 'ListParts', method: 'GET', level: 'object', subresource: 'uploadId' },
  { operation: 'GetObject', method: 'GET', level: 'object' },
  { operation: 'HeadObject', method: 'HEAD', level: 'object' },
  { operation: 'DeleteObjectTagging', method: 'DELETE', level: 'object', subresource: 'tagging' },
  { operation: 'AbortMultipartUpload', method: 'DELETE', level: 'object', subresource: 'uploadId' },
  { operation: 'DeleteObject', method: 'DELETE', level: 'object' },
  { operation: 'CreateMultipartUpload', method: 'POST', level: 'object', subresource: 'uploads' },
  { operation: 'CompleteMultipartUpload', method: 'POST', level: 'object', subresource: 'uploadId' },
];

export interface S3RouteMatch {
  operation: string | null;
  /** When no route matched: the subresource that named an operation we do not implement. */
  unsupported?: string;
}

/** Resolve the S3 operation, or report which subresource/method is not implemented. */
export function resolveS3Route(method: string, level: S3Level, query: Map<string, string>, headers: Record<string, unknown>): S3RouteMatch {
  for (const route of routes) {
    if (route.method !== method || route.level !== level) continue;
    if (route.subresource && !query.has(route.subresource)) continue;
    if (route.alsoQuery && !route.alsoQuery.every((q) => query.has(q))) continue;
    if (route.header && headers[route.header] === undefined) continue;
    if (route.queryEquals && query.get(route.queryEquals[0]) !== route.queryEquals[1]) continue;
    if (!route.subresource) {
      // A plain route must not swallow a request for a subresource we do not implement.
      const extra = [...query.keys()].find((q) => knownSubresources.has(q) && !(route.alsoQuery ?? []).includes(q));
      if (extra && !(route.operation === 'GetObject' && extra === 'partNumber') && !(route.operation === 'HeadObject' && extra === 'partNumber')) {
        return { operation: null, unsupported: extra };
      }
    }
    return { operation: route.operation };
  }
  return { operation: null, unsupported: [...query.keys()].find((q) => knownSubresources.has(q)) ?? method };
}
