/**
 * Parsing and validation of policy documents [IAM-GRAMMAR], with AWS's error codes and messages
 * (aws-semantics §2.2): IAM APIs answer `MalformedPolicyDocument`, S3 PutBucketPolicy answers
 * `MalformedPolicy`. Messages marked (unverified) in aws-semantics are used as written there.
 */
import { compileAction } from './action.js';
import { compileCondition, ConditionError, type ConditionBlock } from './conditions/compile.js';
import { CompiledPolicyImpl } from './compiled-policy.js';
import { PolicyValidationError } from './errors.js';
import { isPrincipalProblem, parsePrincipal, type PrincipalSpec } from './principal.js';
import { compileResource } from './resource.js';
import { S3_ACTIONS, type S3ResourceType } from './s3-actions.js';
import type { CompiledPolicy, CompiledStatement, PolicyKind, PolicyVersion } from './types.js';
import { compileGlob, globToRegExp, hasWildcard } from './wildcard.js';

export interface ParseOptions {
  /** Existence check for principals named in resource policies (called with account root, user, role or session ARNs). */
  readonly principalExists?: (arn: string) => boolean;
  /** s3-bucket: the bucket the policy is put on; every Resource must be inside it. */
  readonly bucketName?: string;
}

const TOP_LEVEL_FIELDS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const IDENTITY_KINDS: ReadonlySet<PolicyKind> = new Set(['identity', 'session', 'boundary']);
const SID_PATTERN = /^[0-9A-Za-z]*$/;

class Validator {
  readonly s3: boolean;
  constructor(readonly kind: PolicyKind) {
    this.s3 = kind === 's3-bucket';
  }

  /** Throws with the IAM message, or the S3 message for bucket policies. */
  fail(iamMessage: string, s3Message: string = iamMessage): never {
    throw new PolicyValidationError(this.s3 ? 'MalformedPolicy' : 'MalformedPolicyDocument', this.s3 ? s3Message : iamMessage);
  }

  syntax(s3Message = 'This policy contains invalid Json'): never {
    return this.fail('Syntax errors in policy.', s3Message);
  }
}

function stringList(value: unknown, v: Validator): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return v.syntax();
}

/** Parses, validates and compiles a policy document. Throws PolicyValidationError. */
export function parsePolicy(text: string, kind: PolicyKind, options: ParseOptions = {}): CompiledPolicy {
  const v = new Validator(kind);
  if (v.s3 && !text.trimStart().startsWith('{')) v.fail('', "Policies must be valid JSON and the first byte must be '{'");
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    v.syntax();
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) v.syntax();
  const top = document as Record<string, unknown>;
  for (const field of Object.keys(top)) {
    if (!TOP_LEVEL_FIELDS.has(field)) v.syntax(`Unknown field ${field}`);
  }

  let version: PolicyVersion | null = null;
  if ('Version' in top) {
    if (top.Version !== '2012-10-17' && top.Version !== '2008-10-17') v.fail('Syntax errors in policy.', 'The policy must contain a valid version string');
    version = top.Version as PolicyVersion;
  }
  let id: string | null = null;
  if ('Id' in top) {
    if (typeof top.Id !== 'string') v.syntax();
    id = top.Id as string;
  }
  if (!('Statement' in top)) v.fail('Syntax errors in policy.', 'Missing required field Statement');
  const rawStatements = Array.isArray(top.Statement) ? top.Statement : [top.Statement];
  if (rawStatements.length === 0) v.fail('Syntax errors in policy.', 'Could not parse the policy: Statement is empty!');

  const variables = version === '2012-10-17';
  const sids = new Set<string>();
  const statements = rawStatements.map((raw, index) => compileStatement(raw, index, v, variables, sids, options));
  return new CompiledPolicyImpl(kind, version, id, statements);
}

function compileStatement(
  raw: unknown,
  index: number,
  v: Validator,
  variables: boolean,
  sids: Set<string>,
  options: ParseOptions,
): CompiledStatement {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return v.syntax();
  const st = raw as Record<string, unknown>;
  for (const field of Object.keys(st)) {
    if (!STATEMENT_FIELDS.has(field)) v.syntax(`Unknown field ${field}`);
  }

  // Sid
  let sid: string | null = null;
  if ('Sid' in st) {
    if (typeof st.Sid !== 'string') v.syntax();
    sid = st.Sid;
    if (IDENTITY_KINDS.has(v.kind) && !SID_PATTERN.test(sid)) {
      v.fail('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
    }
    if (sid !== '' && sids.has(sid)) v.fail('Statement IDs (SID) in a single policy must be unique.');
    sids.add(sid);
  }

  // Effect
  if (!('Effect' in st)) v.fail('Missing required field Effect');
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') v.fail(`Invalid effect: ${String(st.Effect)}`);
  const effect = st.Effect;

  // Principal / NotPrincipal
  const principal = compilePrincipalElement(st, v, options);

  // Action / NotAction
  if ('Action' in st && 'NotAction' in st) v.syntax();
  const actionField = 'Action' in st ? 'Action' : 'NotAction' in st ? 'NotAction' : null;
  if (!actionField) v.fail('Policy statement must contain actions.', 'Missing required field Action');
  const actions = stringList(st[actionField], v);
  if (actions.length === 0) v.fail('Policy statement must contain actions.', 'Missing required field Action');
  for (const action of actions) {
    if (action !== '*' && !/^[A-Za-z0-9*?-]+:[^:]*$/.test(action)) {
      v.fail('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.', 'Policy has invalid action');
    }
  }

  // Resource / NotResource
  if ('Resource' in st && 'NotResource' in st) v.syntax();
  const resourceField = 'Resource' in st ? 'Resource' : 'NotResource' in st ? 'NotResource' : null;
  let resources: string[] | null = null;
  if (v.kind === 'trust') {
    if (resourceField) v.fail(`Has prohibited field ${resourceField}`);
  } else {
    if (!resourceField) v.fail('Policy statement must contain resources.', 'Missing required field Resource');
    resources = stringList(st[resourceField], v);
    if (resources.length === 0) v.fail('Policy statement must contain resources.', 'Missing required field Resource');
    for (const resource of resources) {
      if (resource !== '*' && !/^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+/.test(resource)) {
        v.fail(`Resource ${resource} must be in ARN format or "*".`, 'Policy has invalid resource');
      }
    }
  }

  if (v.s3) validateS3Statement(v, actionField === 'Action' ? actions : null, resourceField === 'Resource' ? resources : null, resources, actions, options.bucketName);

  // Condition
  let condition: ConditionBlock | null = null;
  if ('Condition' in st) {
    try {
      condition = compileCondition(st.Condition, variables);
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      if (error.problem === 'key') v.fail(error.message, 'Policy has an invalid condition key');
      if (error.problem === 'shape') v.syntax();
      v.fail(error.message);
    }
  }

  return {
    index,
    sid,
    effect,
    principal: principal.spec,
    notPrincipal: principal.negated,
    action: compileAction(actions, actionField === 'NotAction'),
    resource: resources ? compileResource(resources, resourceField === 'NotResource', variables) : null,
    condition,
  };
}

function compilePrincipalElement(
  st: Record<string, unknown>,
  v: Validator,
  options: ParseOptions,
): { spec: PrincipalSpec | null; negated: boolean } {
  const hasPrincipal = 'Principal' in st;
  const hasNot = 'NotPrincipal' in st;
  if (IDENTITY_KINDS.has(v.kind)) {
    if (hasPrincipal || hasNot) v.fail('Policy document should not specify a principal.');
    return { spec: null, negated: false };
  }
  if (hasPrincipal && hasNot) v.syntax();
  if (!hasPrincipal && !hasNot) v.fail('Missing required field Principal');
  if (hasNot && v.kind === 'trust') v.fail('Has prohibited field NotPrincipal');
  const raw = hasPrincipal ? st.Principal : st.NotPrincipal;
  const parsed = parsePrincipal(raw, {
    allowCanonicalUser: v.s3,
    allowFederated: v.kind === 'trust',
    principalExists: options.principalExists,
  });
  if (isPrincipalProblem(parsed)) {
    v.fail(`Invalid principal in policy: "${parsed.field}":"${parsed.value}"`, 'Invalid principal in policy');
  }
  return { spec: parsed, negated: hasNot };
}

/** S3 PutBucketPolicy checks: s3 actions only, resources inside the bucket, and action/resource applicability. */
function validateS3Statement(
  v: Validator,
  positiveActions: readonly string[] | null,
  positiveResources: readonly string[] | null,
  allResources: readonly string[] | null,
  allActions: readonly string[],
  bucketName: string | undefined,
): void {
  const matchedTypes: Array<Set<S3ResourceType>> = [];
  for (const action of allActions) {
    const lower = action.toLowerCase();
    if (lower === '*' || lower === 's3:*') {
      matchedTypes.push(new Set(['bucket', 'object', 'account']));
      continue;
    }
    if (!lower.startsWith('s3:')) v.fail('', 'Policy has invalid action');
    const types = new Set<S3ResourceType>();
    if (hasWildcard(lower)) {
      const regex = globToRegExp(lower, true);
      for (const [name, type] of S3_ACTIONS) if (regex.test(name)) types.add(type);
    } else {
      const type = S3_ACTIONS.get(lower);
      if (type) types.add(type);
    }
    if (types.size === 0) v.fail('', 'Policy has invalid action');
    matchedTypes.push(types);
  }
  const bucketMatches = bucketName === undefined ? null : (pattern: string) => compileGlob(pattern, false)(bucketName);
  const present = new Set<S3ResourceType>();
  for (const resource of allResources ?? []) {
    if (resource === '*') {
      present.add('bucket').add('object');
      continue;
    }
    if (!resource.startsWith('arn:aws:s3:::')) v.fail('', 'Policy has invalid resource');
    const path = resource.slice('arn:aws:s3:::'.length);
    const slash = path.indexOf('/');
    const bucketPart = slash < 0 ? path : path.slice(0, slash);
    if (bucketPart === '' || (bucketMatches && !bucketMatches(bucketPart))) v.fail('', 'Policy has invalid resource');
    if (slash >= 0) present.add('object');
    else {
      present.add('bucket');
      if (path.endsWith('*')) present.add('object');
    }
  }
  if (!positiveActions || !positiveResources) return;
  for (const types of matchedTypes) {
    if (![...types].some((type) => present.has(type))) v.fail('', 'Action does not apply to any resource(s) in statement');
  }
}
