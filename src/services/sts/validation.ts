/**
 * Request-parameter validation with the wording of AWS's model validation (ValidationError, 400):
 *   "1 validation error detected: Value 'x y' at 'roleSessionName' failed to satisfy constraint:
 *    Member must satisfy regular expression pattern: [\w+=,.@-]*"
 * Several violations are joined with "; " under "N validation errors detected:".
 * Member names are the camel-cased parameter names ('roleArn', 'tags.1.member.key').
 */
import { serviceError, type ServiceError } from '../../protocol/errors.js';

export interface StringConstraint {
  min?: number;
  max?: number;
  /** Pattern as AWS prints it; `regex` is what we test (whole-string). */
  pattern?: { text: string; regex: RegExp };
}

export class ValidationCollector {
  private readonly problems: string[] = [];

  missing(member: string): void {
    this.problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }

  violation(member: string, value: string, constraint: string): void {
    this.problems.push(`Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  /** Checks a string against pattern then length limits (AWS lists the pattern first). */
  string(member: string, value: string, constraint: StringConstraint): void {
    if (constraint.pattern && !constraint.pattern.regex.test(value)) {
      this.violation(member, value, `Member must satisfy regular expression pattern: ${constraint.pattern.text}`);
    }
    const length = [...value].length;
    if (constraint.min !== undefined && length < constraint.min) {
      this.violation(member, value, `Member must have length greater than or equal to ${constraint.min}`);
    }
    if (constraint.max !== undefined && length > constraint.max) {
      this.violation(member, value, `Member must have length less than or equal to ${constraint.max}`);
    }
  }

  /** Parses an integer parameter; range violations are recorded. Returns null when absent or not a number. */
  integer(member: string, raw: string | undefined, min: number, max: number): number | null {
    if (raw === undefined) return null;
    if (!/^-?\d+$/.test(raw.trim())) {
      // AWS-DIFF: AWS rejects a non-numeric integer before model validation; its exact wording is not documented.
      this.violation(member, raw, 'Member must be an integer');
      return null;
    }
    const value = Number(raw.trim());
    if (value < min) this.violation(member, String(value), `Member must have value greater than or equal to ${min}`);
    if (value > max) this.violation(member, String(value), `Member must have value less than or equal to ${max}`);
    return value;
  }

  listLength(member: string, count: number, max: number): void {
    if (count > max) this.problems.push(`Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }

  get count(): number {
    return this.problems.length;
  }

  /** Throws the collected problems as one ValidationError (nothing when there are none). */
  throwIfAny(): void {
    const error = this.error();
    if (error) throw error;
  }

  error(): ServiceError | null {
    const count = this.problems.length;
    if (count === 0) return null;
    return validationError(`${count} validation error${count === 1 ? '' : 's'} detected: ${this.problems.join('; ')}`);
  }
}

export function validationError(message: string): ServiceError {
  return serviceError('ValidationError', message, 400);
}

/** Numbered Query list members: `Prefix.member.1`, `Prefix.member.2` … (suffix e.g. '.Key'), in index order. */
export function memberIndexes(params: Map<string, string>, prefix: string): number[] {
  const indexes = new Set<number>();
  const head = `${prefix}.member.`;
  for (const name of params.keys()) {
    if (!name.startsWith(head)) continue;
    const match = /^(\d+)(?:\.|$)/.exec(name.slice(head.length));
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes].sort((a, b) => a - b);
}
