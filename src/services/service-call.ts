/**
 * The contract between the pipeline and Query (IAM, STS) and JSON (Organizations, KMS, CloudTrail)
 * service handlers. The pipeline authenticates, looks the operation up in the service's table,
 * authorizes `action` on `resource(call)` with the policy engine, then runs the handler.
 */
import type { App } from '../app.js';
import type { Identity, RequestInfo } from '../context/request-context.js';

export interface ServiceCall {
  app: App;
  info: RequestInfo;
  identity: Identity;
  /** Credential-scope service name: 'iam' | 'sts' | 'organizations' | 'kms' | 'cloudtrail'. */
  service: string;
  /** Operation name, e.g. 'CreateUser' / 'AssumeRole' / 'CreateAccount'. */
  operation: string;
  /** Query protocol: the form parameters (Action, Version, UserName, Policies.member.1 …). */
  params: Map<string, string>;
  /** JSON protocol: the parsed request body ({} for Query calls). */
  input: Record<string, unknown>;
  /**
   * Authorize a further action (AssumeRole's trust-policy check is done by the STS handler itself;
   * this is for e.g. iam:PassRole or per-resource checks). Throws the service's AccessDenied.
   */
  authorize(action: string, resourceArn: string, resourceAccountId: string | null): Promise<void>;
}

/** Query handlers return the content of <{Operation}Result> (null: no Result element). */
export type QueryHandler = (call: ServiceCall) => Promise<Record<string, unknown> | null>;
/** JSON handlers return the response object. */
export type JsonHandler = (call: ServiceCall) => Promise<Record<string, unknown>>;

export interface ServiceOperation<H> {
  /** IAM action authorized before the handler runs; null = no permission needed (GetCallerIdentity) or checked by the handler (AssumeRole). */
  action: string | null;
  /** Resource ARN the action is authorized on ('*' for actions without resource types). */
  resource: (call: ServiceCall) => string | Promise<string>;
  /** Request-specific condition keys for this operation (sts:ExternalId, sts:RoleSessionName, aws:RequestTag/…, iam:PolicyARN …). */
  context?: (call: ServiceCall) => Record<string, string | string[]>;
  handler: H;
}

export type QueryOperationTable = Record<string, ServiceOperation<QueryHandler>>;
export type JsonOperationTable = Record<string, ServiceOperation<JsonHandler>>;
