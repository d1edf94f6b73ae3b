/**
 * Condition operators [IAM-OPS]. Each operator compiles one policy value into a matcher in the
 * *positive* sense (StringNotEquals compiles like StringEquals); negation, IfExists and the set
 * qualifiers are applied per key in compile.ts.
 */
import { compileArnPattern } from '../arn.js';
import type { ContextView } from '../context.js';
import { compileGlobTemplate, parseTemplate, resolveGlobTemplate, resolveTemplate, type TemplatePart } from '../variables.js';
import { compileGlob, matchGlobTokens } from '../wildcard.js';
import { ipInCidr, parseCidr, parseIp } from './ip.js';

export type ValueMatcher = (contextValue: string, view: ContextView) => boolean;

export interface OperatorDef {
  readonly name: string;
  readonly negated: boolean;
  /** Whether `${…}` variables are substituted in this operator's values [IAM-VARS]. */
  readonly variables: boolean;
  /** Compiles one policy value; null when the value is invalid for the operator. */
  compile(policyValue: string, variables: boolean): ValueMatcher | null;
}

/** Wraps a plain-text comparison so that variables are resolved per request (unresolvable ⇒ no match). */
function withTemplate(value: string, variables: boolean, make: (text: string) => (contextValue: string) => boolean): ValueMatcher {
  const template: TemplatePart[] | null = variables ? parseTemplate(value) : null;
  if (!template) {
    const matcher = make(value);
    return (contextValue) => matcher(contextValue);
  }
  return (contextValue, view) => {
    const resolved = resolveTemplate(template, view.lookup);
    return resolved !== null && make(resolved)(contextValue);
  };
}

const stringEquals = (value: string, variables: boolean): ValueMatcher =>
  withTemplate(value, variables, (text) => (contextValue) => contextValue === text);

const stringEqualsIgnoreCase = (value: string, variables: boolean): ValueMatcher =>
  withTemplate(value, variables, (text) => {
    const lower = text.toLowerCase();
    return (contextValue) => contextValue.toLowerCase() === lower;
  });

function stringLike(value: string, variables: boolean): ValueMatcher {
  const template = variables ? parseTemplate(value) : null;
  if (!template) {
    const glob = compileGlob(value, false);
    return (contextValue) => glob(contextValue);
  }
  const memoKey = 'glob\u0000' + value;
  const globTemplate = compileGlobTemplate(template);
  return (contextValue, view) => {
    const tokens = view.remember(memoKey, () => resolveGlobTemplate(globTemplate, view.lookup));
    return tokens !== null && matchGlobTokens(tokens, contextValue);
  };
}

function arnLike(value: string, variables: boolean): ValueMatcher {
  const template = variables ? parseTemplate(value) : null;
  if (!template) {
    const matcher = compileArnPattern(value);
    return (contextValue) => matcher(contextValue);
  }
  return (contextValue, view) => {
    const resolved = resolveTemplate(template, view.lookup);
    return resolved !== null && compileArnPattern(resolved)(contextValue);
  };
}

function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function numeric(compare: (contextNumber: number, policyNumber: number) => boolean) {
  return (value: string): ValueMatcher | null => {
    const policyNumber = parseNumber(value);
    if (policyNumber === null) return null;
    return (contextValue) => {
      const contextNumber = parseNumber(contextValue);
      return contextNumber !== null && compare(contextNumber, policyNumber);
    };
  };
}

/** W3C ISO 8601 date/time, or epoch seconds (aws:EpochTime style). Milliseconds since epoch, or null. */
export function parseDate(text: string): number | null {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return null;
  const value = Date.parse(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed);
  return Number.isNaN(value) ? null : value;
}

function date(compare: (contextMs: number, policyMs: number) => boolean) {
  return (value: string): ValueMatcher | null => {
    const policyMs = parseDate(value);
    if (policyMs === null) return null;
    return (contextValue) => {
      const contextMs = parseDate(contextValue);
      return contextMs !== null && compare(contextMs, policyMs);
    };
  };
}

function bool(value: string, variables: boolean): ValueMatcher {
  return withTemplate(value, variables, (text) => {
    const lower = text.toLowerCase();
    return (contextValue) => contextValue.toLowerCase() === lower;
  });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function binaryEquals(value: string): ValueMatcher | null {
  if (!BASE64.test(value)) return null;
  const expected = Buffer.from(value, 'base64');
  return (contextValue) => BASE64.test(contextValue) && Buffer.from(contextValue, 'base64').equals(expected);
}

function ipAddress(value: string): ValueMatcher | null {
  const cidr = parseCidr(value);
  if (!cidr) return null;
  return (contextValue, view) => {
    const ip = view.parsed(contextValue, parseTrimmedIp);
    return ip !== null && ipInCidr(cidr, ip);
  };
}

const parseTrimmedIp = (text: string) => parseIp(text.trim());

function nullCheck(value: string): ValueMatcher | null {
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') return null;
  // The Null operator is evaluated on key presence in compile.ts; this matcher is unused.
  return () => lower === 'true';
}

function def(name: string, negated: boolean, variables: boolean, compile: OperatorDef['compile']): OperatorDef {
  return { name, negated, variables, compile };
}

const noVars = (compile: (value: string) => ValueMatcher | null): OperatorDef['compile'] => (value) => compile(value);

const DEFINITIONS: readonly OperatorDef[] = [
  def('StringEquals', false, true, stringEquals),
  def('StringNotEquals', true, true, stringEquals),
  def('StringEqualsIgnoreCase', false, true, stringEqualsIgnoreCase),
  def('StringNotEqualsIgnoreCase', true, true, stringEqualsIgnoreCase),
  def('StringLike', false, true, stringLike),
  def('StringNotLike', true, true, stringLike),
  def('NumericEquals', false, false, noVars(numeric((c, p) => c === p))),
  def('NumericNotEquals', true, false, noVars(numeric((c, p) => c === p))),
  def('NumericLessThan', false, false, noVars(numeric((c, p) => c < p))),
  def('NumericLessThanEquals', false, false, noVars(numeric((c, p) => c <= p))),
  def('NumericGreaterThan', false, false, noVars(numeric((c, p) => c > p))),
  def('NumericGreaterThanEquals', false, false, noVars(numeric((c, p) => c >= p))),
  def('DateEquals', false, false, noVars(date((c, p) => c === p))),
  def('DateNotEquals', true, false, noVars(date((c, p) => c === p))),
  def('DateLessThan', false, false, noVars(date((c, p) => c < p))),
  def('DateLessThanEquals', false, false, noVars(date((c, p) => c <= p))),
  def('DateGreaterThan', false, false, noVars(date((c, p) => c > p))),
  def('DateGreaterThanEquals', false, false, noVars(date((c, p) => c >= p))),
  // aws-semantics §10.2: the operators page allows variables in Bool; we substitute them.
  def('Bool', false, true, bool),
  def('BinaryEquals', false, false, noVars(binaryEquals)),
  def('IpAddress', false, false, noVars(ipAddress)),
  def('NotIpAddress', true, false, noVars(ipAddress)),
  def('ArnEquals', false, true, arnLike),
  def('ArnLike', false, true, arnLike),
  def('ArnNotEquals', true, true, arnLike),
  def('ArnNotLike', true, true, arnLike),
  def('Null', false, false, noVars(nullCheck)),
];

/** Operators by lower-cased name. */
export const OPERATORS: ReadonlyMap<string, OperatorDef> = new Map(DEFINITIONS.map((d) => [d.name.toLowerCase(), d]));
