/** The CompiledPolicy implementation: statements plus a bounded per-action memo of candidates. */
import type { ActionCandidates, CompiledPolicy, CompiledStatement, PolicyKind, PolicyVersion } from './types.js';

/** Distinct action names remembered per policy before the memo is reset (bounds memory). */
export const ACTION_MEMO_MAX_ENTRIES = 2048;

export class CompiledPolicyImpl implements CompiledPolicy {
  private readonly memo = new Map<string, ActionCandidates>();

  constructor(
    readonly kind: PolicyKind,
    readonly version: PolicyVersion | null,
    readonly id: string | null,
    readonly statements: readonly CompiledStatement[],
  ) {}

  candidatesFor(actionLower: string): ActionCandidates {
    const cached = this.memo.get(actionLower);
    if (cached) return cached;
    const matching = this.statements.filter((statement) => statement.action.test(actionLower));
    const candidates: ActionCandidates = {
      denies: matching.filter((statement) => statement.effect === 'Deny'),
      allows: matching.filter((statement) => statement.effect === 'Allow'),
    };
    if (this.memo.size >= ACTION_MEMO_MAX_ENTRIES) this.memo.clear();
    this.memo.set(actionLower, candidates);
    return candidates;
  }
}
