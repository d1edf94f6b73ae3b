/**
 * Glob matching for IAM policy patterns: `*` matches any run of characters (including `/` and `:` for
 * Action/Resource/StringLike), `?` exactly one character [IAM-ACTION][IAM-RES][IAM-OPS].
 */

/** A glob token: literal text, or one of the two wildcards. */
export type GlobToken = string | typeof STAR | typeof QMARK;
export const STAR = 0 as const;
export const QMARK = 1 as const;

/**
 * `text.startsWith(prefix)`, compared from the end: ARN patterns share long heads (`arn:aws:s3:::`), so
 * mismatches show up at the tail; and on Node 20 this loop is several times faster than startsWith.
 */
export function hasPrefix(text: string, prefix: string): boolean {
  if (text.length < prefix.length) return false;
  for (let i = prefix.length - 1; i >= 0; i--) if (text.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  return true;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Compiles a glob into an anchored RegExp (built once, at policy compile time). */
export function globToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += escapeRegExp(ch);
  }
  // 's': `.` also matches line breaks (object keys may contain them).
  return new RegExp(source + '$', ignoreCase ? 'is' : 's');
}

/** A prebuilt matcher: plain equality when the pattern has no wildcard, a RegExp otherwise. */
export type TextMatcher = (text: string) => boolean;

export function compileGlob(pattern: string, ignoreCase: boolean): TextMatcher {
  if (pattern === '*') return () => true;
  if (!hasWildcard(pattern)) {
    if (ignoreCase) {
      const lower = pattern.toLowerCase();
      return (text) => text.length === lower.length && text.toLowerCase() === lower;
    }
    return (text) => text === pattern;
  }
  const star = pattern.indexOf('*');
  if (!ignoreCase && star === pattern.length - 1 && !pattern.includes('?')) {
    // The common `prefix*` shape: a prefix test is much cheaper than a RegExp.
    const prefix = pattern.slice(0, -1);
    return (text) => hasPrefix(text, prefix);
  }
  const regex = globToRegExp(pattern, ignoreCase);
  return (text) => regex.test(text);
}

/** Splits glob text into tokens (used when variables are substituted at evaluation time). */
export function pushGlobText(tokens: GlobToken[], text: string): void {
  let literal = '';
  for (const ch of text) {
    if (ch === '*' || ch === '?') {
      if (literal) pushLiteral(tokens, literal);
      literal = '';
      tokens.push(ch === '*' ? STAR : QMARK);
    } else {
      literal += ch;
    }
  }
  if (literal) pushLiteral(tokens, literal);
}

/** Appends literal text (merging with a preceding literal). */
export function pushLiteral(tokens: GlobToken[], text: string): void {
  if (text === '') return;
  const last = tokens.length - 1;
  if (last >= 0 && typeof tokens[last] === 'string') tokens[last] = (tokens[last] as string) + text;
  else tokens.push(text);
}

/** Matches glob tokens against text (case-sensitive), with backtracking on `*`. */
export function matchGlobTokens(tokens: readonly GlobToken[], text: string): boolean {
  return matchFrom(tokens, 0, text, 0);
}

function matchFrom(tokens: readonly GlobToken[], tokenIndex: number, text: string, position: number): boolean {
  let ti = tokenIndex;
  let pos = position;
  while (ti < tokens.length) {
    const token = tokens[ti]!;
    if (token === STAR) {
      while (ti + 1 < tokens.length && tokens[ti + 1] === STAR) ti++;
      if (ti === tokens.length - 1) return true;
      for (let p = pos; p <= text.length; p++) {
        if (matchFrom(tokens, ti + 1, text, p)) return true;
      }
      return false;
    }
    if (token === QMARK) {
      if (pos >= text.length) return false;
      pos += 1;
    } else {
      if (text.length - pos < token.length) return false;
      for (let i = token.length - 1; i >= 0; i--) if (text.charCodeAt(pos + i) !== token.charCodeAt(i)) return false;
      pos += token.length;
    }
    ti++;
  }
  return pos === text.length;
}
