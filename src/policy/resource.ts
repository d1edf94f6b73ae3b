/**
 * Resource / NotResource matching [IAM-RES]: case-sensitive globs; `*` may span `/`. Policy
 * variables (2012-10-17 only) are substituted per request; a pattern whose variable has no value
 * matches nothing [IAM-VARS].
 */
import type { ContextView } from './context.js';
import { compileGlobTemplate, parseTemplate, resolveGlobTemplate, type TemplatePart } from './variables.js';
import { compileGlob, hasPrefix, matchGlobTokens, type TextMatcher } from './wildcard.js';

type PatternMatcher = (resource: string, view: ContextView) => boolean;

export interface ResourceMatcher {
  readonly negated: boolean;
  readonly patterns: readonly string[];
  test(resource: string, view: ContextView): boolean;
}

function compilePattern(pattern: string, variables: boolean): PatternMatcher {
  const template: TemplatePart[] | null = variables ? parseTemplate(pattern) : null;
  if (template) {
    const memoKey = 'glob\u0000' + pattern;
    const globTemplate = compileGlobTemplate(template);
    return (resource, view) => {
      const tokens = view.remember(memoKey, () => resolveGlobTemplate(globTemplate, view.lookup));
      return tokens !== null && matchGlobTokens(tokens, resource);
    };
  }
  const glob: TextMatcher = compileGlob(pattern, false);
  return (resource) => glob(resource);
}

/** Exact ARNs and `prefix*` patterns (the common case) in one tight loop, without per-pattern closures. */
function compileSimple(patterns: readonly string[], variables: boolean): PatternMatcher | null {
  const exact: string[] = [];
  const prefixes: string[] = [];
  for (const pattern of patterns) {
    if (variables && pattern.includes('${')) return null;
    const star = pattern.indexOf('*');
    if (pattern.includes('?')) return null;
    if (star < 0) exact.push(pattern);
    else if (star === pattern.length - 1) prefixes.push(pattern.slice(0, -1));
    else return null;
  }
  return (resource) => {
    for (let i = 0; i < exact.length; i++) if (resource === exact[i]) return true;
    for (let i = 0; i < prefixes.length; i++) if (hasPrefix(resource, prefixes[i]!)) return true;
    return false;
  };
}

export function compileResource(patterns: readonly string[], negated: boolean, variables: boolean): ResourceMatcher {
  const any = patterns.includes('*');
  const simple = any ? null : compileSimple(patterns, variables);
  const matchers = simple ? [simple] : patterns.map((pattern) => compilePattern(pattern, variables));
  const single = matchers.length === 1 ? matchers[0]! : null;
  const positive: PatternMatcher = any
    ? () => true
    : single ?? ((resource, view) => {
        for (const matcher of matchers) if (matcher(resource, view)) return true;
        return false;
      });
  return {
    negated,
    patterns,
    test: negated ? (resource, view) => !positive(resource, view) : positive,
  };
}
