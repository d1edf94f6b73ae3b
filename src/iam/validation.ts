/**
 * Request validation with AWS's Query-protocol wording:
 *   "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint:
 *    Member must satisfy regular expression pattern: [\w+=,.@-]+"
 * Several failures are joined with "; " under "N validation errors detected: ".
 */
import { serviceError } from '../protocol/errors.js';

export const namePattern = /^[\w+=,.@-]+$/;
export const namePatternText = '[\\w+=,.@-]+';
export const pathPattern = /^(\/|\/[\u0021-\u007f]+\/)$/;
export const pathPatternText = '(\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)';
export const pathPrefixPattern = /^\/[\u0021-\u007f]*$/;
export const pathPrefixPatternText = '\\u002F[\\u0021-\\u007F]*';
export const versionIdPattern = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;
export const versionIdPatternText = 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?';
/** Policy documents: printable characters, tab, line feed, carriage return (IAM API "PolicyDocument" pattern). */
export const policyDocumentPattern = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
export const policyDocumentPatternText = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';

export class Checks {
  private readonly problems: string[] = [];

  fail(field: string, value: string | null, constraint: string): void {
    const shown = value === null ? 'Value null' : `Value '${value}'`;
    this.problems.push(`${shown} at '${field}' failed to satisfy constraint: ${constraint}`);
  }

  required(field: string, value: string | undefined): value is string {
    if (value === undefined) {
      this.fail(field, null, 'Member must not be null');
      return false;
    }
    return true;
  }

  length(field: string, value: string | undefined, min: number, max: number): void {
    if (value === undefined) return;
    if (value.length < min) this.fail(field, value, `Member must have length greater than or equal to ${min}`);
    else if (value.length > max) this.fail(field, value, `Member must have length less than or equal to ${max}`);
  }

  pattern(field: string, value: string | undefined, regexp: RegExp, text: string): void {
    if (value === undefined || value === '') return;
    if (!regexp.test(value)) this.fail(field, value, `Member must satisfy regular expression pattern: ${text}`);
  }

  /** An entity name (user, group, role, policy …): [\w+=,.@-]+ with a maximum length. */
  name(field: string, value: string | undefined, max: number, required = true): void {
    if (required && !this.required(field, value)) return;
    this.length(field, value, 1, max);
    this.pattern(field, value, namePattern, namePatternText);
  }

  path(field: string, value: string | undefined): void {
    this.length(field, value, 1, 512);
    this.pattern(field, value, pathPattern, pathPatternText);
  }

  pathPrefix(field: string, value: string | undefined): void {
    this.length(field, value, 1, 512);
    this.pattern(field, value, pathPrefixPattern, pathPrefixPatternText);
  }

  arn(field: string, value: string | undefined, required = true): void {
    if (required && !this.required(field, value)) return;
    this.length(field, value, 20, 2048);
  }

  policyDocument(field: string, value: string | undefined): void {
    if (!this.required(field, value)) return;
    this.length(field, value, 1, 131072);
    if (value.length <= 131072) this.pattern(field, value, policyDocumentPattern, policyDocumentPatternText);
  }

  versionId(field: string, value: string | undefined): void {
    if (!this.required(field, value)) return;
    this.pattern(field, value, versionIdPattern, versionIdPatternText);
  }

  integer(field: string, raw: string | undefined, min: number, max: number): number | undefined {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    // AWS-DIFF (unverified wording): IAM's message for a non-numeric integer parameter is not documented.
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value)) {
      throw serviceError('ValidationError', `Invalid value for parameter ${field}, value: ${raw}, type: class java.lang.Integer`, 400);
    }
    if (value < min) this.fail(field, raw, `Member must have value greater than or equal to ${min}`);
    else if (value > max) this.fail(field, raw, `Member must have value less than or equal to ${max}`);
    return value;
  }

  oneOf(field: string, value: string | undefined, allowed: readonly string[]): void {
    if (value === undefined) return;
    if (!allowed.includes(value)) this.fail(field, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  /** Throws the ValidationError when anything failed. */
  done(): void {
    const n = this.problems.length;
    if (n === 0) return;
    throw serviceError('ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${this.problems.join('; ')}`, 400);
  }
}
