/**
 * S3 access-control models and PURE decision helpers (no I/O): ACLs (model, XML, headers, permission
 * mapping), Object Ownership, Block Public Access and the "public" bucket-policy definition.
 * The S3 handlers store/serve these; the authorizer calls the decision helpers.
 */
export * from './acl-model.js';
export { parseAclXml, renderAclXml, type AclXmlOptions, type DisplayNames } from './acl-xml.js';
export { CANNED_ACLS, GRANT_HEADERS, cannedAcl, isCannedAcl, aclFromGrantHeaders, aclFromRequestHeaders, type CannedAclName, type HeaderAcl } from './acl-headers.js';
export { ACL_ACTIONS, permissionsFor, aclGrants, aclAllows, isPublicAcl, withoutPublicGrants, type AclLevel, type AclGrantees, type AclCaller, type AclGrantOptions } from './acl-permissions.js';
export { isPublicPolicy, isPublicStatement } from './public-policy.js';
export * from './public-access-block.js';
export * from './ownership.js';
