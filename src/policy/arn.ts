/** ARN helpers: split into the six colon-separated parts; ArnLike matching per part [IAM-OPS]. */
import { compileGlob, type TextMatcher } from './wildcard.js';

/** Splits `arn:partition:service:region:account:resource` (the resource part may hold colons). */
export function splitArn(arn: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return null;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts[0] === 'arn' ? parts : null;
}

/** ArnEquals/ArnLike: each of the six parts matched independently; `*` cannot cross a colon. */
export function compileArnPattern(pattern: string): (arn: string) => boolean {
  if (pattern === '*') return () => true;
  const parts = splitArn(pattern);
  if (!parts) return () => false;
  const matchers: TextMatcher[] = parts.map((part) => compileGlob(part, false));
  return (arn) => {
    const candidate = splitArn(arn);
    if (!candidate) return false;
    for (let i = 0; i < 6; i++) if (!matchers[i]!(candidate[i]!)) return false;
    return true;
  };
}
