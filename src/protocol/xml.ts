import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export const s3Namespace = 'http://s3.amazonaws.com/doc/2006-03-01/';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, format: false, processEntities: true });

/** Serialize `{Root: {...}}`-shaped data as an XML document with AWS's declaration. */
export function toXml(rootName: string, body: Record<string, unknown>, namespace: string | null = s3Namespace): string {
  const root = namespace ? { '@_xmlns': namespace, ...body } : body;
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build({ [rootName]: root });
}

/** Element names that always parse as arrays in request bodies. */
const arrayTags = new Set(['Part', 'Object', 'Tag', 'Grant', 'Rule', 'Statement', 'member', 'CORSRule', 'TargetGrant']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => arrayTags.has(name),
  processEntities: true,
});

/** Parse a request body; returns null when the XML is not well-formed. */
export function parseXml(text: string): Record<string, any> | null {
  if (text.trim() === '') return null;
  if (XMLValidator.validate(text) !== true) return null;
  try {
    return parser.parse(text) as Record<string, any>;
  } catch {
    return null;
  }
}

/** ISO-8601 with milliseconds as S3 renders it in XML (2006-02-03T16:45:09.000Z). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** RFC 7231 date for headers (Last-Modified). */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
