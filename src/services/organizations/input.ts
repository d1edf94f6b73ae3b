/**
 * JSON input checks for Organizations. Organizations reports invalid parameters as
 * InvalidInputException (HTTP 400) with a reason such as INPUT_REQUIRED, INVALID_PATTERN,
 * MIN_LENGTH_EXCEEDED, MAX_LENGTH_EXCEEDED, INVALID_NEXT_TOKEN (Organizations API Reference).
 * AWS-DIFF: the reason is folded into the message (our JSON error body carries __type and message only),
 * and the message wording is ours.
 */
import { serviceError, type ServiceError } from '../../protocol/errors.js';

export function invalidInput(reason: string, message: string): ServiceError {
  return serviceError('InvalidInputException', `${message} (${reason})`, 400);
}

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
}

export function stringParam(input: Record<string, unknown>, name: string, rule: StringRule): string | null {
  const value = input[name];
  if (value === undefined || value === null) {
    if (rule.required) throw invalidInput('INPUT_REQUIRED', `You must specify a value for ${name}.`);
    return null;
  }
  if (typeof value !== 'string') throw invalidInput('INVALID_PATTERN', `The value for ${name} must be a string.`);
  if (rule.min !== undefined && value.length < rule.min) throw invalidInput('MIN_LENGTH_EXCEEDED', `The value for ${name} is shorter than ${rule.min} characters.`);
  if (rule.max !== undefined && value.length > rule.max) throw invalidInput('MAX_LENGTH_EXCEEDED', `The value for ${name} is longer than ${rule.max} characters.`);
  if (rule.pattern && !rule.pattern.test(value)) throw invalidInput('INVALID_PATTERN', `The value for ${name} does not match the required pattern.`);
  return value;
}

/** MaxResults 1..20 (Organizations MaxResults shape); default 20. */
export function maxResultsParam(input: Record<string, unknown>): number {
  const value = input.MaxResults;
  if (value === undefined || value === null) return 20;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidInput('INVALID_PATTERN', 'The value for MaxResults must be an integer.');
  if (value < 1) throw invalidInput('MIN_VALUE_EXCEEDED', 'The value for MaxResults must be at least 1.');
  if (value > 20) throw invalidInput('MAX_VALUE_EXCEEDED', 'The value for MaxResults must be at most 20.');
  return value;
}

const tokenPrefix = 'cb1:';

/** A page of `items` from NextToken (an opaque offset) with the next token, or none at the end. */
export function page<T>(input: Record<string, unknown>, items: T[]): { items: T[]; nextToken: string | null } {
  const maxResults = maxResultsParam(input);
  let offset = 0;
  const token = input.NextToken;
  if (token !== undefined && token !== null) {
    const decoded = typeof token === 'string' ? Buffer.from(token, 'base64').toString('utf8') : '';
    const match = new RegExp(`^${tokenPrefix}(\\d+)$`).exec(decoded);
    if (!match) throw invalidInput('INVALID_NEXT_TOKEN', 'You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.');
    offset = Number(match[1]);
  }
  const slice = items.slice(offset, offset + maxResults);
  const next = offset + maxResults < items.length ? Buffer.from(`${tokenPrefix}${offset + maxResults}`).toString('base64') : null;
  return { items: slice, nextToken: next };
}

export function tagsParam(input: Record<string, unknown>): Array<{ Key: string; Value: string }> {
  const tags = input.Tags;
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw invalidInput('INVALID_LIST_MEMBER', 'Tags must be a list of Key/Value objects.');
  const out: Array<{ Key: string; Value: string }> = [];
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = (tag as { Key?: unknown })?.Key;
    const value = (tag as { Value?: unknown })?.Value;
    if (typeof key !== 'string' || typeof value !== 'string' || key.length < 1 || key.length > 128 || value.length > 256) {
      throw invalidInput('INVALID_LIST_MEMBER', 'Each tag needs a Key of 1-128 characters and a Value of at most 256 characters.');
    }
    if (seen.has(key)) throw invalidInput('DUPLICATE_TAG_KEY', `Duplicate tag key ${key}.`);
    seen.add(key);
    out.push({ Key: key, Value: value });
  }
  return out;
}
