/**
 * Query (IAM, STS) and JSON 1.1 (Organizations, KMS, CloudTrail) dispatch: find the operation in
 * the service's table, authorize its action on its resource with the policy engine, run it.
 */
import type { App } from '../app.js';
import type { Authorizer } from '../context/authorizer.js';
import type { Identity, RequestInfo } from '../context/request-context.js';
import type { BodySource } from '../services/s3/call.js';
import type { ServiceCall, ServiceOperation } from '../services/service-call.js';
import { serviceError } from './errors.js';
import { invalidAction, parseQueryParams, queryResponse, sendQueryResult } from './query.js';
import { sendJsonResult } from './json.js';
import { readAll } from '../http/body.js';
import { limits } from '../limits.js';
import { globalConditionKeys } from '../context/condition-keys.js';
import { queryTables, jsonTables } from '../operations/service-tables.js';

/** The account an IAM/STS/KMS/Organizations ARN belongs to (null for AWS-owned or '*'). */
export function arnAccount(arn: string, fallback: string | null): string | null {
  if (arn === '*') return fallback;
  const account = arn.split(':')[4] ?? '';
  return /^\d{12}$/.test(account) ? account : null;
}

/** CloudTrail resource type for an ARN, e.g. AWS::IAM::Role. */
function resourceType(arn: string): string {
  const [, , service = '', , , resource = ''] = arn.split(':');
  const kind = resource.split('/')[0] ?? '';
  const services: Record<string, string> = { iam: 'IAM', kms: 'KMS', s3: 'S3', organizations: 'Organizations', sts: 'STS' };
  return `AWS::${services[service] ?? service}::${kind.charAt(0).toUpperCase()}${kind.slice(1)}`;
}

function accessDenied(service: string, message: string) {
  if (service === 'iam' || service === 'sts') return serviceError('AccessDenied', message, 403);
  return serviceError('AccessDeniedException', message, 400);
}

async function run(app: App, authorizer: Authorizer, call: ServiceCall, operation: ServiceOperation<unknown>): Promise<void> {
  const conditions = globalConditionKeys(call.info, call.identity, app.config.region, app.clock.nowMs());
  call.authorize = async (action, resourceArn, resourceAccountId) => {
    const outcome = await authorizer.authorize({
      identity: call.identity,
      action,
      resourceArn,
      resourceAccountId,
      bucket: null,
      key: null,
      conditions: { ...conditions, ...(operation.context?.(call) ?? {}) },
      service: call.service,
    });
    if (!outcome.allowed) throw accessDenied(call.service, outcome.message);
  };
  if (operation.action) {
    const resourceArn = await operation.resource(call);
    const resourceAccountId = arnAccount(resourceArn, call.identity.accountId);
    call.info.trace.resourceAccountId = resourceAccountId;
    if (resourceArn !== '*') call.info.trace.resources.push({ arn: resourceArn, type: resourceType(resourceArn), accountId: resourceAccountId });
    await call.authorize(operation.action, resourceArn, resourceAccountId);
  }
}

function newCall(app: App, info: RequestInfo, identity: Identity, service: string, operation: string, params: Map<string, string>, input: Record<string, unknown>): ServiceCall {
  return { app, info, identity, service, operation, params, input, authorize: async () => undefined };
}

export async function dispatchQuery(app: App, authorizer: Authorizer, info: RequestInfo, identity: Identity, service: string, body: BodySource): Promise<void> {
  const params = parseQueryParams(info, await readAll(body.stream, limits.configBodyMaxBytes));
  const action = params.get('Action');
  // No unsigned Query operation is implemented (AssumeRoleWithWebIdentity/SAML would be the only ones).
  if (identity.type === 'Anonymous') throw serviceError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  const operation = action ? queryTables[service]?.[action] : undefined;
  if (!operation) throw invalidAction(action, params.get('Version'));
  info.trace.operation = action!;
  // Raw parameters; observers scrub secrets (Password, SecretAccessKey, Plaintext …) before recording.
  info.trace.requestParameters = Object.fromEntries([...params].filter(([name]) => name !== 'Action' && name !== 'Version'));
  const call = newCall(app, info, identity, service, action!, params, {});
  await run(app, authorizer, call, operation);
  const result = await operation.handler(call);
  info.trace.responseElements = result;
  sendQueryResult(info, queryResponse(service, action!, result, info.requestId));
}

export async function dispatchJson(app: App, authorizer: Authorizer, info: RequestInfo, identity: Identity, service: string, body: BodySource): Promise<void> {
  const target = String(info.headers['x-amz-target'] ?? '');
  const name = target.slice(target.lastIndexOf('.') + 1);
  if (identity.type === 'Anonymous') throw serviceError('MissingAuthenticationTokenException', 'Request is missing Authentication Token', 400);
  const operation = name ? jsonTables[service]?.[name] : undefined;
  if (!operation) {
    throw serviceError('UnknownOperationException', target ? `Operation ${name} is not supported by crossbucket's ${service}.` : 'Missing X-Amz-Target header', 400);
  }
  const text = (await readAll(body.stream, limits.configBodyMaxBytes)).toString('utf8');
  let input: Record<string, unknown> = {};
  if (text.trim() !== '') {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      input = parsed as Record<string, unknown>;
    } catch {
      throw serviceError('SerializationException', 'Start of structure or map found where not expected.', 400);
    }
  }
  info.trace.operation = name;
  info.trace.requestParameters = input;
  const call = newCall(app, info, identity, service, name, new Map(), input);
  await run(app, authorizer, call, operation);
  const result = await operation.handler(call);
  info.trace.responseElements = result;
  sendJsonResult(info, result);
}
