/**
 * Key ranges in UTF-8 binary order (S3 lists keys "in ascending order based on the UTF-8 binary
 * representation of the key names"; UTF-8 byte order equals Unicode code point order, which is NOT
 * JavaScript's UTF-16 `<` for characters above U+FFFF).
 */

/** Compare two strings by their UTF-8 bytes (negative, zero, positive). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const maxCodePoint = 0x10ffff;

/**
 * The smallest string greater than every string that starts with `prefix`, or null when none
 * exists (prefix '' or made only of U+10FFFF). Used as an exclusive upper bound for index range scans.
 */
export function prefixUpperBound(prefix: string): string | null {
  const codePoints = Array.from(prefix, (character) => character.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last < maxCodePoint) {
      // Skip the surrogate block: it cannot appear in well-formed UTF-8.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return String.fromCodePoint(...codePoints, next);
    }
  }
  return null;
}
