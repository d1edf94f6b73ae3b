/**
 * Compiled-policy cache keyed by (kind, document text), so the request path never re-parses JSON.
 * Bounded LRU. Documents read from storage were validated when they were saved, so the cache compiles
 * them without the principal-existence check.
 */
import { parsePolicy } from './parse.js';
import type { CompiledPolicy, PolicyKind } from './types.js';

export const POLICY_CACHE_DEFAULT_MAX_ENTRIES = 10_000;

export class PolicyCache {
  private readonly entries = new Map<string, CompiledPolicy>();

  constructor(private readonly maxEntries: number = POLICY_CACHE_DEFAULT_MAX_ENTRIES) {}

  /** The compiled policy for this text; throws PolicyValidationError for an invalid document. */
  get(text: string, kind: PolicyKind): CompiledPolicy {
    const key = kind + '\u0000' + text;
    const cached = this.entries.get(key);
    if (cached) {
      // Refresh LRU position.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const compiled = parsePolicy(text, kind);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, compiled);
    return compiled;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
