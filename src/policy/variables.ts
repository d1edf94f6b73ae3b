/**
 * Policy variables [IAM-VARS]: `${key}` replaced by the single value of a request-context key
 * (case-insensitive key name); `${key, 'default'}` supplies a value when the key is absent;
 * `${*}`, `${?}`, `${$}` stand for the literal characters. Only under Version 2012-10-17.
 */
import { type GlobToken, pushGlobText, pushLiteral } from './wildcard.js';

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'var'; readonly key: string; readonly fallback: string | null };

/** Looks up a single-valued context key (lower-cased name); undefined when absent or multi-valued. */
export type VariableLookup = (keyLower: string) => string | undefined;

const VARIABLE_BODY = /^\s*([^\s,'}]+)\s*(?:,\s*'([^']*)'\s*)?$/;

/** Parses `${…}` variables; returns null when the text contains none. */
export function parseTemplate(text: string): TemplatePart[] | null {
  if (!text.includes('${')) return null;
  const parts: TemplatePart[] = [];
  let found = false;
  let rest = text;
  while (rest.length > 0) {
    const start = rest.indexOf('${');
    const end = start < 0 ? -1 : rest.indexOf('}', start + 2);
    if (start < 0 || end < 0) {
      parts.push({ kind: 'text', text: rest });
      break;
    }
    if (start > 0) parts.push({ kind: 'text', text: rest.slice(0, start) });
    const body = rest.slice(start + 2, end);
    const trimmed = body.trim();
    if (trimmed === '*' || trimmed === '?' || trimmed === '$') {
      parts.push({ kind: 'char', char: trimmed });
      found = true;
    } else {
      const match = VARIABLE_BODY.exec(body);
      if (match) {
        parts.push({ kind: 'var', key: match[1]!.toLowerCase(), fallback: match[2] ?? null });
        found = true;
      } else {
        parts.push({ kind: 'text', text: rest.slice(start, end + 1) });
      }
    }
    rest = rest.slice(end + 1);
  }
  return found ? parts : null;
}

/** Substitutes variables into plain text; null when a variable has no value and no default. */
export function resolveTemplate(parts: readonly TemplatePart[], lookup: VariableLookup): string | null {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'char') out += part.char;
    else {
      const value = lookup(part.key) ?? part.fallback;
      if (value === null) return null;
      out += value;
    }
  }
  return out;
}

/** A glob template with its literal parts already split into glob tokens (built at compile time). */
export type GlobTemplate = ReadonlyArray<{ readonly tokens: readonly GlobToken[] } | { readonly key: string; readonly fallback: string | null }>;

export function compileGlobTemplate(parts: readonly TemplatePart[]): GlobTemplate {
  return parts.map((part) => {
    if (part.kind === 'var') return { key: part.key, fallback: part.fallback };
    const tokens: GlobToken[] = [];
    if (part.kind === 'text') pushGlobText(tokens, part.text);
    else pushLiteral(tokens, part.char);
    return { tokens };
  });
}

/**
 * Substitutes variables into a glob: wildcards in the policy text stay wildcards, while variable
 * values and `${*}`/`${?}` escapes are literal characters. null when a variable is unresolvable.
 */
export function resolveGlobTemplate(template: GlobTemplate, lookup: VariableLookup): GlobToken[] | null {
  const tokens: GlobToken[] = [];
  for (const part of template) {
    if ('tokens' in part) {
      for (const token of part.tokens) {
        if (typeof token === 'string') pushLiteral(tokens, token);
        else tokens.push(token);
      }
    } else {
      const value = lookup(part.key) ?? part.fallback;
      if (value === null) return null;
      pushLiteral(tokens, value);
    }
  }
  return tokens;
}
