/**
 * Typed service errors. Handlers throw these; the protocol layer serializes them
 * in the shape of the service that was called (S3 XML, Query XML, JSON). No handler writes XML.
 */
export type ErrorProtocol = 's3' | 'query' | 'json';

export class ServiceError extends Error {
  /** Extra elements AWS includes in the error body (e.g. BucketName, Key, StringToSign). */
  readonly extra: Record<string, string>;
  /** Extra response headers (e.g. x-amz-bucket-region). */
  readonly headers: Record<string, string>;
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
    extra: Record<string, string> = {},
    headers: Record<string, string> = {},
    /** Query protocol: "Sender" or "Receiver". */
    readonly faultType: 'Sender' | 'Receiver' = statusCode >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.extra = extra;
    this.headers = headers;
  }
}

/** S3 REST error (serialized as <Error><Code/><Message/>…<RequestId/><HostId/></Error>). */
export class S3Error extends ServiceError {}

/** S3 errors AWS documents, with their status code and default message. */
const s3Errors: Record<string, [number, string]> = {
  AccessDenied: [403, 'Access Denied'],
  AccountProblem: [403, 'There is a problem with your AWS account that prevents the operation from completing successfully.'],
  AccessControlListNotSupported: [400, 'The bucket does not allow ACLs'],
  AuthorizationHeaderMalformed: [400, 'The authorization header is malformed.'],
  BadDigest: [400, 'The Content-MD5 you specified did not match what we received.'],
  BucketAlreadyExists: [409, 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.'],
  BucketAlreadyOwnedByYou: [409, 'Your previous request to create the named bucket succeeded and you already own it.'],
  BucketNotEmpty: [409, 'The bucket you tried to delete is not empty'],
  EntityTooLarge: [400, 'Your proposed upload exceeds the maximum allowed size'],
  EntityTooSmall: [400, 'Your proposed upload is smaller than the minimum allowed object size.'],
  ExpiredToken: [400, 'The provided token has expired.'],
  IllegalLocationConstraintException: [400, 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.'],
  IncompleteBody: [400, 'You did not provide the number of bytes specified by the Content-Length HTTP header.'],
  InternalError: [500, 'We encountered an internal error. Please try again.'],
  InvalidAccessKeyId: [403, 'The AWS Access Key Id you provided does not exist in our records.'],
  InvalidArgument: [400, 'Invalid Argument'],
  InvalidBucketAclWithBlockPublicAccessError: [400, 'Bucket cannot have public ACLs set with BlockPublicAccess enabled'],
  InvalidBucketAclWithObjectOwnership: [400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"],
  InvalidBucketName: [400, 'The specified bucket is not valid.'],
  InvalidDigest: [400, 'The Content-MD5 you specified is not valid.'],
  InvalidLocationConstraint: [400, 'The specified location-constraint is not valid'],
  InvalidObjectState: [403, 'The operation is not valid for the current state of the object.'],
  InvalidPart: [400, 'One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.'],
  InvalidPartOrder: [400, 'The list of parts was not in ascending order. Parts must be ordered by part number.'],
  InvalidRange: [416, 'The requested range is not satisfiable'],
  InvalidRequest: [400, 'Invalid Request'],
  InvalidTag: [400, 'The TagValue you have provided is invalid'],
  InvalidToken: [400, 'The provided token is malformed or otherwise invalid.'],
  InvalidEncryptionAlgorithmError: [400, 'The encryption request you specified is not valid. The valid value is AES256.'],
  KeyTooLongError: [400, 'Your key is too long'],
  MalformedACLError: [400, 'The XML you provided was not well-formed or did not validate against our published schema'],
  MalformedXML: [400, 'The XML you provided was not well-formed or did not validate against our published schema'],
  MalformedPolicy: [400, 'Policies must be valid JSON and the first byte must be \'{\''],
  MetadataTooLarge: [400, 'Your metadata headers exceed the maximum allowed metadata size.'],
  MethodNotAllowed: [405, 'The specified method is not allowed against this resource.'],
  MissingContentLength: [411, 'You must provide the Content-Length HTTP header.'],
  MissingSecurityHeader: [400, 'Your request is missing a required header.'],
  NoSuchBucket: [404, 'The specified bucket does not exist'],
  NoSuchBucketPolicy: [404, 'The bucket policy does not exist'],
  NoSuchKey: [404, 'The specified key does not exist.'],
  NoSuchPublicAccessBlockConfiguration: [404, 'The public access block configuration was not found'],
  NoSuchUpload: [404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.'],
  NoSuchTagSet: [404, 'The TagSet does not exist'],
  NotImplemented: [501, 'A header you provided implies functionality that is not implemented.'],
  NotModified: [304, 'Not Modified'],
  OwnershipControlsNotFoundError: [404, 'The bucket ownership controls were not found'],
  PreconditionFailed: [412, 'At least one of the pre-conditions you specified did not hold'],
  RequestTimeTooSkewed: [403, 'The difference between the request time and the current time is too large.'],
  SignatureDoesNotMatch: [403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
  ServiceUnavailable: [503, 'Please reduce your request rate.'],
  TooManyBuckets: [400, 'You have attempted to create more buckets than allowed'],
  UnexpectedContent: [400, 'This request does not support content'],
  UnresolvableGrantByEmailAddress: [400, 'The email address you provided does not match any account on record.'],
  XAmzContentSHA256Mismatch: [400, 'The provided \'x-amz-content-sha256\' header does not match what was computed.'],
};

/** Build an S3 error by code; message and extra elements optional. */
export function s3Error(code: string, message?: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}): S3Error {
  const known = s3Errors[code];
  const status = known ? known[0] : 400;
  return new S3Error(code, message ?? (known ? known[1] : code), status, extra, headers);
}

/** Query (IAM/STS) or JSON (KMS, Organizations, CloudTrail) service errors. */
export function serviceError(code: string, message: string, statusCode = 400, faultType?: 'Sender' | 'Receiver'): ServiceError {
  return new ServiceError(code, message, statusCode, {}, {}, faultType);
}
