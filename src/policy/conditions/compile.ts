/**
 * The Condition element [IAM-COND][IAM-MULTI]: operators AND together, keys under one operator AND
 * together, values of one key OR together (negated operators: "matches none of the values").
 * Key names are case-insensitive. A missing key makes positive operators false and negated ones
 * true; `…IfExists` makes a missing key true; `Null` tests presence. `ForAllValues:` is true when every
 * request value matches (and when the key is absent or empty); `ForAnyValue:` when at least one does.
 */
import type { ContextView } from '../context.js';
import { OPERATORS, type ValueMatcher } from './operators.js';

export interface KeyCondition {
  /** Operator as written, e.g. 'ForAnyValue:StringLikeIfExists'. */
  readonly operator: string;
  readonly key: string;
  /** Identical conditions (same operator, key and values) share one result per request. */
  readonly signature: string;
  test(view: ContextView): boolean;
}

export interface ConditionBlock {
  readonly keys: readonly KeyCondition[];
  test(view: ContextView): boolean;
}

/** A Condition element problem; parse.ts turns it into the AWS error for the policy kind. */
export class ConditionError extends Error {
  constructor(
    readonly problem: 'operator' | 'key' | 'value' | 'shape',
    message: string,
  ) {
    super(message);
  }
}

type Qualifier = 'all' | 'any' | null;

function splitOperator(written: string): { qualifier: Qualifier; base: string; ifExists: boolean } {
  let qualifier: Qualifier = null;
  let rest = written;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') qualifier = 'all';
    else if (prefix === 'foranyvalue') qualifier = 'any';
    else throw new ConditionError('operator', `Invalid Condition type : ${written}`);
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.length > 'IfExists'.length && rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  return { qualifier, base: rest, ifExists };
}

function policyValues(raw: unknown, operator: string): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new ConditionError('value', `Condition ${operator} has no values`);
  return list.map((value) => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new ConditionError('shape', 'Syntax errors in policy.');
  });
}

function compileKey(written: string, key: string, raw: unknown, variablesEnabled: boolean): KeyCondition {
  const { qualifier, base, ifExists } = splitOperator(written);
  const operator = OPERATORS.get(base.toLowerCase());
  if (!operator || (operator.name === 'Null' && (ifExists || qualifier !== null))) {
    throw new ConditionError('operator', `Invalid Condition type : ${written}`);
  }
  if (!key.includes(':') && !key.includes('/')) {
    throw new ConditionError('key', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  }
  const keyLower = key.toLowerCase();
  const values = policyValues(raw, written);
  const signature = `cond\u0000${written.toLowerCase()}\u0000${keyLower}\u0000${variablesEnabled}\u0000${JSON.stringify(values)}`;

  if (operator.name === 'Null') {
    const wantAbsent = values.map((v) => {
      const lower = v.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw new ConditionError('value', `Invalid Null condition value ${v}`);
      return lower === 'true';
    });
    return {
      operator: written,
      key,
      signature,
      test(view) {
        const value = view.get(keyLower);
        const present = value !== undefined && (typeof value === 'string' || value.length > 0);
        return wantAbsent.some((absent) => absent !== present);
      },
    };
  }

  const matchers: ValueMatcher[] = values.map((value) => {
    const matcher = operator.compile(value, variablesEnabled && operator.variables);
    if (!matcher) {
      const what = operator.name.includes('Ip') ? 'Invalid IP address in Conditions' : `Invalid value ${value} for condition ${written}`;
      throw new ConditionError('value', what);
    }
    return matcher;
  });
  const negated = operator.negated;
  const single = matchers.length === 1 ? matchers[0]! : null;
  const positive = (value: string, view: ContextView): boolean => {
    if (single) return single(value, view);
    for (const matcher of matchers) if (matcher(value, view)) return true;
    return false;
  };
  const passes = negated ? (value: string, view: ContextView) => !positive(value, view) : positive;

  return {
    operator: written,
    key,
    signature,
    test(view) {
      const raw = view.get(keyLower);
      if (typeof raw === 'string') {
        // Single-valued key: every qualifier reduces to testing the one value.
        return passes(raw, view);
      }
      const contextValues = raw;
      const absent = contextValues === undefined || contextValues.length === 0;
      if (qualifier === 'all') {
        if (absent) return true;
        for (const value of contextValues) if (!passes(value, view)) return false;
        return true;
      }
      if (qualifier === 'any') {
        if (absent) return ifExists;
        for (const value of contextValues) if (passes(value, view)) return true;
        return false;
      }
      if (absent) return ifExists || negated;
      if (negated) {
        for (const value of contextValues) if (!passes(value, view)) return false;
        return true;
      }
      for (const value of contextValues) if (passes(value, view)) return true;
      return false;
    },
  };
}

/** Compiles a Condition element; throws ConditionError for a malformed one. */
export function compileCondition(raw: unknown, variablesEnabled: boolean): ConditionBlock | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConditionError('shape', 'Syntax errors in policy.');
  const keys: KeyCondition[] = [];
  for (const [operator, block] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof block !== 'object' || block === null || Array.isArray(block)) {
      throw new ConditionError('shape', 'Syntax errors in policy.');
    }
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      keys.push(compileKey(operator, key, values, variablesEnabled));
    }
  }
  if (keys.length === 0) return null;
  return {
    keys,
    test(view) {
      for (const key of keys) if (!view.remember(key.signature, () => key.test(view))) return false;
      return true;
    },
  };
}
