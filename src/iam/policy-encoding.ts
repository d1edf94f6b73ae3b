/**
 * IAM returns policy documents URL-encoded (RFC 3986) in GetUserPolicy, GetRolePolicy,
 * GetPolicyVersion, role AssumeRolePolicyDocument and GetAccountAuthorizationDetails
 * (IAM API reference: "The policy document returned in this structure is URL-encoded compliant with RFC 3986").
 */
export function encodePolicyDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
