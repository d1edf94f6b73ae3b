/**
 * Unique IDs for IAM entities the shared IdGenerator does not hand out (IAM User Guide, "IAM
 * identifiers" → unique ID prefixes): groups AGPA…, managed policies ANPA… (21 characters).
 */
import { randomBytes } from 'node:crypto';
import { randomBase32, type RandomSource } from '../identity/ids.js';

export function groupUniqueId(random: RandomSource = randomBytes): string {
  return `AGPA${randomBase32(random, 17)}`;
}

export function policyUniqueId(random: RandomSource = randomBytes): string {
  return `ANPA${randomBase32(random, 17)}`;
}
