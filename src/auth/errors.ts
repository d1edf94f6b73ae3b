import { s3Error, serviceError, type ServiceError } from '../protocol/errors.js';

/** True for the S3 REST protocol (S3 error codes/messages and S3's canonical-URI rule). */
export function isS3(service: string | undefined): boolean {
  return service === undefined || service === 's3';
}

/** S3's message when the computed signature differs. */
export const s3SignatureMismatchMessage = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
/** The message the other AWS services (IAM, STS, KMS, ...) use. */
export const serviceSignatureMismatchMessage =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** SignatureDoesNotMatch in the shape of the service that was called. */
export function signatureMismatch(service: string | undefined, extra: Record<string, string>): ServiceError {
  if (isS3(service)) return s3Error('SignatureDoesNotMatch', s3SignatureMismatchMessage, extra);
  return serviceError('SignatureDoesNotMatch', serviceSignatureMismatchMessage, 403);
}

/** A malformed-signature error: S3 answers with `s3Code`, the other services with IncompleteSignature. */
export function malformed(service: string | undefined, s3Code: string, message: string, extra: Record<string, string> = {}): ServiceError {
  if (isS3(service)) return s3Error(s3Code, message, extra);
  return serviceError('IncompleteSignature', message, 400);
}

/** ISO 8601 basic (20130524T000000Z) → ms, or NaN. */
export function parseAmzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return Number.NaN;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const check = new Date(ms);
  if (check.getUTCMonth() !== +m[2]! - 1 || check.getUTCDate() !== +m[3]!) return Number.NaN;
  return ms;
}

/** ms → ISO 8601 basic (20130524T000000Z). */
export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** ms → 2013-05-24T00:00:00Z (how S3 prints ServerTime / Expires in error bodies). */
export function formatIsoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
