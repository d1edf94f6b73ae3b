/** Action / NotAction matching [IAM-ACTION]: case-insensitive `service:name` with `*`/`?` wildcards. */
import type { ActionMatcher } from './types.js';
import { globToRegExp, hasWildcard } from './wildcard.js';

export function compileAction(patterns: readonly string[], negated: boolean): ActionMatcher {
  const lowered = patterns.map((pattern) => pattern.toLowerCase());
  let positive: (actionLower: string) => boolean;
  if (lowered.includes('*')) {
    positive = () => true;
  } else {
    const exact = new Set(lowered.filter((pattern) => !hasWildcard(pattern)));
    const regexes = lowered.filter(hasWildcard).map((pattern) => globToRegExp(pattern, true));
    positive = (actionLower) => {
      if (exact.has(actionLower)) return true;
      for (const regex of regexes) if (regex.test(actionLower)) return true;
      return false;
    };
  }
  return { negated, patterns, test: negated ? (actionLower) => !positive(actionLower) : positive };
}
