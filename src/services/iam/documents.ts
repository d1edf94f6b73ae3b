/** Policy document validation for IAM calls: grammar (policy engine), size quotas, trust principals. */
import type { ServiceCall } from '../service-call.js';
import type { DocumentTx } from '../../store/types.js';
import { parsePolicy, PolicyValidationError } from '../../policy/index.js';
import type { PolicyKind } from '../../policy/index.js';
import { serviceError } from '../../protocol/errors.js';
import { getRole, getUser } from '../../iam/model.js';

/** Validate a policy document; PolicyValidationError becomes MalformedPolicyDocument (400). */
export function checkPolicyDocument(text: string, kind: PolicyKind, principalExists?: (arn: string) => boolean): void {
  try {
    parsePolicy(text, kind, principalExists ? { principalExists } : {});
  } catch (error) {
    if (error instanceof PolicyValidationError) throw serviceError(error.code, error.message, 400);
    throw error;
  }
}

/** Characters of a policy document that count against IAM quotas (whitespace is not counted). */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}

/** Account IDs known to this server (for trust-policy principal checks). */
export async function knownAccounts(call: ServiceCall): Promise<Set<string>> {
  return new Set((await call.app.store.listAccounts()).map((a) => a.id));
}

/**
 * IAM resolves principals of trust policies to unique IDs when the policy is saved, so a principal
 * that does not exist is refused ("Invalid principal in policy") [aws-semantics §2.2].
 */
export function principalChecker(tx: DocumentTx, accounts: Set<string>): (arn: string) => boolean {
  return (arn) => {
    const root = /^arn:aws:iam::(\d{12}):root$/.exec(arn);
    if (root) return accounts.has(root[1]!);
    const entity = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]+)$/.exec(arn);
    if (entity) {
      const [, account, type, path, name] = entity as unknown as [string, string, string, string, string];
      if (!accounts.has(account)) return false;
      const doc = type === 'user' ? getUser(tx, account, name) : getRole(tx, account, name);
      return doc !== null && doc.arn === arn && doc.path === path;
    }
    const session = /^arn:aws:sts::(\d{12}):(assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+)$/.exec(arn);
    if (session) {
      if (!accounts.has(session[1]!)) return false;
      return session[3] === undefined || getRole(tx, session[1]!, session[3]) !== null;
    }
    return false;
  };
}

export function checkTrustPolicy(tx: DocumentTx, accounts: Set<string>, text: string): void {
  checkPolicyDocument(text, 'trust', principalChecker(tx, accounts));
  if (policySize(text) > 2048) throw serviceError('LimitExceeded', 'Cannot exceed quota for ACLSizePerRole: 2048', 409);
}
