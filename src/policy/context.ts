/**
 * Case-insensitive view over a request's condition keys, with the principal-derived global keys
 * (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username) supplied when
 * the caller did not provide them [IAM-KEYS; aws-semantics §1.1]. Fast path: a context whose keys are
 * already lower-case is read directly; otherwise a lower-cased copy is built once per evaluation.
 */
import type { AuthzRequest } from './types.js';

export type ContextValue = string | readonly string[];

const PRINCIPAL_TYPE_VALUE: Record<string, string> = {
  Root: 'Account',
  User: 'User',
  AssumedRole: 'AssumedRole',
  FederatedUser: 'FederatedUser',
  Anonymous: 'Anonymous',
  Service: 'Service',
};

const UPPERCASE = /[A-Z]/;

export class ContextView {
  private folded: Map<string, ContextValue> | null | undefined = undefined;
  private memo: Map<string, unknown> | null = null;
  private addresses: Map<string, unknown> | null = null;

  constructor(private readonly request: AuthzRequest) {}

  /** The value(s) of a key (lower-cased name); undefined when absent. */
  get(keyLower: string): ContextValue | undefined {
    const context = this.request.context;
    let value: ContextValue | undefined = Object.prototype.hasOwnProperty.call(context, keyLower) ? context[keyLower] : undefined;
    if (value === undefined) {
      if (this.folded === undefined) this.folded = this.fold();
      if (this.folded !== null) value = this.folded.get(keyLower);
    }
    return value !== undefined ? value : this.derived(keyLower);
  }

  /** The value of a single-valued key; undefined when absent or multi-valued (for policy variables). */
  single(keyLower: string): string | undefined {
    const value = this.get(keyLower);
    if (value === undefined || typeof value === 'string') return value;
    return value.length === 1 ? value[0] : undefined;
  }

  readonly lookup = (keyLower: string): string | undefined => this.single(keyLower);

  /**
   * Per-request memo for values derived from the context (resolved variable templates, condition
   * results): computed once per evaluation however many statements need them.
   */
  remember<T>(key: string, compute: () => T): T {
    const memo = (this.memo ??= new Map());
    const cached = memo.get(key);
    if (cached !== undefined || memo.has(key)) return cached as T;
    const value = compute();
    memo.set(key, value);
    return value;
  }

  /** Parsed form of a context value (e.g. an IP address), computed once per evaluation. */
  parsed<T>(text: string, parse: (text: string) => T): T {
    const memo = (this.addresses ??= new Map());
    const cached = memo.get(text);
    if (cached !== undefined || memo.has(text)) return cached as T;
    const value = parse(text);
    memo.set(text, value);
    return value;
  }

  /** A lower-cased copy of the context, or null when every key is already lower-case. */
  private fold(): Map<string, ContextValue> | null {
    const context = this.request.context;
    let map: Map<string, ContextValue> | null = null;
    for (const key of Object.keys(context)) {
      if (UPPERCASE.test(key)) {
        map ??= new Map();
        map.set(key.toLowerCase(), context[key]!);
      }
    }
    return map;
  }

  private derived(keyLower: string): string | undefined {
    const principal = this.request.principal;
    switch (keyLower) {
      case 'aws:principaltype':
        return PRINCIPAL_TYPE_VALUE[principal.type];
      case 'aws:principalaccount':
        if (principal.type === 'Anonymous') return 'anonymous';
        return principal.type === 'Service' ? undefined : principal.accountId;
      case 'aws:userid':
        if (principal.type === 'Anonymous') return 'anonymous';
        return principal.type === 'Service' ? undefined : principal.userId;
      case 'aws:principalarn':
        if (principal.type === 'Anonymous' || principal.type === 'Service') return undefined;
        return principal.type === 'AssumedRole' ? (principal.roleArn ?? principal.arn) : principal.arn;
      case 'aws:username':
        return principal.type === 'User' ? (principal.userName ?? undefined) : undefined;
      case 'aws:principalservicename':
        return principal.type === 'Service' ? (principal.service ?? undefined) : undefined;
      default:
        return undefined;
    }
  }
}
