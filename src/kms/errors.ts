/**
 * KMS errors as the KMS API Reference names them (JSON 1.1: {"__type": Code, "message": …}, HTTP 400).
 * Message wording follows what KMS returns ("Key 'ARN' does not exist", "ARN is disabled.", …).
 */
import { serviceError, type ServiceError } from '../protocol/errors.js';

export function notFound(message: string): ServiceError {
  return serviceError('NotFoundException', message, 400);
}

export function keyNotFound(keyArn: string): ServiceError {
  return notFound(`Key '${keyArn}' does not exist`);
}

export function aliasNotFound(aliasArn: string): ServiceError {
  return notFound(`Alias ${aliasArn} is not found.`);
}

export function invalidKeyId(keyId: string): ServiceError {
  return notFound(`Invalid keyId ${keyId}`);
}

export function disabled(keyArn: string): ServiceError {
  return serviceError('DisabledException', `${keyArn} is disabled.`, 400);
}

export function invalidState(message: string): ServiceError {
  return serviceError('KMSInvalidStateException', message, 400);
}

export function pendingDeletion(keyArn: string): ServiceError {
  return invalidState(`${keyArn} is pending deletion.`);
}

/** KMS returns InvalidCiphertextException without a message. */
export function invalidCiphertext(): ServiceError {
  return serviceError('InvalidCiphertextException', '', 400);
}

export function incorrectKey(): ServiceError {
  return serviceError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.', 400);
}

export function alreadyExists(message: string): ServiceError {
  return serviceError('AlreadyExistsException', message, 400);
}

export function validation(message: string): ServiceError {
  return serviceError('ValidationException', message, 400);
}

/** "1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: …" (AWS shape validation). */
export function constraint(value: unknown, field: string, rule: string): ServiceError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return validation(`1 validation error detected: Value '${shown}' at '${field}' failed to satisfy constraint: ${rule}`);
}

export function malformedPolicy(message: string): ServiceError {
  return serviceError('MalformedPolicyDocumentException', message, 400);
}

export function notAuthorized(): ServiceError {
  return serviceError('NotAuthorizedException', '', 400);
}

export function unsupported(message: string): ServiceError {
  return serviceError('UnsupportedOperationException', message, 400);
}

export function serviceErrorInvalidKeyUsage(message: string): ServiceError {
  return serviceError('InvalidKeyUsageException', message, 400);
}

export function tagError(message: string): ServiceError {
  return serviceError('TagException', message, 400);
}
