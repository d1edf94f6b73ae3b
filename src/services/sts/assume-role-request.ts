/**
 * AssumeRole request parameters, parsed and validated once per call (the operation table's
 * resource/context builders and the handler share the result). Validation runs before
 * authorization, as AWS validates the request against its model before evaluating policies.
 * Constraints: STS API Reference, AssumeRole request parameters (min/max/pattern per member).
 */
import type { ServiceCall } from '../service-call.js';
import { serviceError } from '../../protocol/errors.js';
import { memberIndexes, ValidationCollector } from './validation.js';

export interface SessionTagInput {
  key: string;
  value: string;
}

export interface AssumeRoleInput {
  roleArn: string;
  roleSessionName: string;
  /** null: not given (default 3600, checked against the role later). */
  durationSeconds: number | null;
  policy: string | null;
  policyArns: string[];
  tags: SessionTagInput[];
  transitiveTagKeys: string[];
  externalId: string | null;
  serialNumber: string | null;
  tokenCode: string | null;
  sourceIdentity: string | null;
}

const arnPattern = { text: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+', regex: /^[\t\n\r\u0020-\u007e\u0085\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]+$/u };
const sessionNamePattern = { text: '[\\w+=,.@-]*', regex: /^[\w+=,.@-]*$/ };
const externalIdPattern = { text: '[\\w+=,.@:\\/-]*', regex: /^[\w+=,.@:/-]*$/ };
const serialNumberPattern = { text: '[\\w+=/:,.@-]*', regex: /^[\w+=/:,.@-]*$/ };
const tokenCodePattern = { text: '[\\d]*', regex: /^\d*$/ };
const policyPattern = { text: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+', regex: /^[\t\n\r\u0020-\u00ff]+$/ };
const tagKeyPattern = { text: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+', regex: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u };
const tagValuePattern = { text: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*', regex: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u };

export const assumeRoleLimits = {
  durationMinSeconds: 900,
  durationMaxSeconds: 43_200,
  defaultDurationSeconds: 3600,
  /** Role chaining (and sessions from temporary credentials): at most one hour. */
  chainedMaxSeconds: 3600,
  policyArnsMax: 10,
  tagsMax: 50,
} as const;

const parsed = new WeakMap<ServiceCall, AssumeRoleInput>();

/** The validated AssumeRole input of this call; throws ValidationError / InvalidParameterValue. */
export function assumeRoleInput(call: ServiceCall): AssumeRoleInput {
  const cached = parsed.get(call);
  if (cached) return cached;
  const input = parseAssumeRole(call.params);
  parsed.set(call, input);
  return input;
}

function optional(params: Map<string, string>, name: string): string | null {
  const value = params.get(name);
  return value === undefined ? null : value;
}

export function parseAssumeRole(params: Map<string, string>): AssumeRoleInput {
  const v = new ValidationCollector();
  const roleArn = optional(params, 'RoleArn');
  if (roleArn === null) v.missing('roleArn');
  else v.string('roleArn', roleArn, { min: 20, max: 2048, pattern: arnPattern });
  const roleSessionName = optional(params, 'RoleSessionName');
  if (roleSessionName === null) v.missing('roleSessionName');
  else v.string('roleSessionName', roleSessionName, { min: 2, max: 64, pattern: sessionNamePattern });

  const policyArns: string[] = [];
  const arnIndexes = memberIndexes(params, 'PolicyArns');
  for (const index of arnIndexes) {
    const arn = params.get(`PolicyArns.member.${index}.arn`);
    if (arn === undefined) continue;
    v.string(`policyArns.${index}.member.arn`, arn, { min: 20, max: 2048, pattern: arnPattern });
    policyArns.push(arn);
  }

  const policy = optional(params, 'Policy');
  if (policy !== null) v.string('policy', policy, { min: 1, pattern: policyPattern });

  const durationSeconds = v.integer('durationSeconds', params.get('DurationSeconds'), assumeRoleLimits.durationMinSeconds, assumeRoleLimits.durationMaxSeconds);

  const tags: SessionTagInput[] = [];
  const tagIndexes = memberIndexes(params, 'Tags');
  v.listLength('tags', tagIndexes.length, assumeRoleLimits.tagsMax);
  for (const index of tagIndexes) {
    const key = params.get(`Tags.member.${index}.Key`);
    const value = params.get(`Tags.member.${index}.Value`);
    if (key === undefined) v.missing(`tags.${index}.member.key`);
    else v.string(`tags.${index}.member.key`, key, { min: 1, max: 128, pattern: tagKeyPattern });
    if (value === undefined) v.missing(`tags.${index}.member.value`);
    else v.string(`tags.${index}.member.value`, value, { min: 0, max: 256, pattern: tagValuePattern });
    if (key !== undefined && value !== undefined) tags.push({ key, value });
  }

  const transitiveTagKeys: string[] = [];
  const transitiveIndexes = memberIndexes(params, 'TransitiveTagKeys');
  v.listLength('transitiveTagKeys', transitiveIndexes.length, assumeRoleLimits.tagsMax);
  for (const index of transitiveIndexes) {
    const key = params.get(`TransitiveTagKeys.member.${index}`);
    if (key === undefined) continue;
    v.string(`transitiveTagKeys.${index}.member`, key, { min: 1, max: 128, pattern: tagKeyPattern });
    transitiveTagKeys.push(key);
  }

  const externalId = optional(params, 'ExternalId');
  if (externalId !== null) v.string('externalId', externalId, { min: 2, max: 1224, pattern: externalIdPattern });
  const serialNumber = optional(params, 'SerialNumber');
  if (serialNumber !== null) v.string('serialNumber', serialNumber, { min: 9, max: 256, pattern: serialNumberPattern });
  const tokenCode = optional(params, 'TokenCode');
  if (tokenCode !== null) v.string('tokenCode', tokenCode, { min: 6, max: 6, pattern: tokenCodePattern });
  const sourceIdentity = optional(params, 'SourceIdentity');
  if (sourceIdentity !== null) v.string('sourceIdentity', sourceIdentity, { min: 2, max: 64, pattern: sessionNamePattern });
  v.throwIfAny();

  if (arnIndexes.length > assumeRoleLimits.policyArnsMax) {
    // AWS-DIFF: the exact wording for more than 10 PolicyArns is not documented; the code is ValidationError.
    throw serviceError('ValidationError', `1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to ${assumeRoleLimits.policyArnsMax}`, 400);
  }
  if (sourceIdentity !== null && sourceIdentity.toLowerCase().startsWith('aws:')) {
    // STS API Reference (SourceIdentity): "You cannot use a value that begins with the text aws:".
    throw serviceError('ValidationError', `SourceIdentity cannot begin with the reserved prefix 'aws:'`, 400);
  }
  checkTagKeys(tags, transitiveTagKeys);
  if ((serialNumber === null) !== (tokenCode === null)) {
    // AWS-DIFF: AWS answers a lone SerialNumber or TokenCode with AccessDenied when the trust policy needs MFA;
    // we reject the incomplete pair up front with the same code.
    throw serviceError('AccessDenied', 'MultiFactorAuthentication failed, SerialNumber and TokenCode must be given together.', 403);
  }
  return {
    roleArn: roleArn!,
    roleSessionName: roleSessionName!,
    durationSeconds,
    policy,
    policyArns,
    tags,
    transitiveTagKeys,
    externalId,
    serialNumber,
    tokenCode,
    sourceIdentity,
  };
}

/** Session tag keys are case-insensitive; transitive keys must name passed tags. */
function checkTagKeys(tags: SessionTagInput[], transitiveTagKeys: string[]): void {
  const keys = new Set<string>();
  for (const tag of tags) {
    const lower = tag.key.toLowerCase();
    // IAM UG "Passing session tags in STS": keys are case-insensitive, so Department and department collide.
    if (keys.has(lower)) throw serviceError('InvalidParameterValue', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    keys.add(lower);
  }
  for (const key of transitiveTagKeys) {
    if (!keys.has(key.toLowerCase())) {
      // AWS-DIFF: wording not documented; AWS refuses transitive keys that are not among the session tags.
      throw serviceError('InvalidParameterValue', `The transitive tag key ${key} is not one of the session tags passed in the request.`, 400);
    }
  }
}
