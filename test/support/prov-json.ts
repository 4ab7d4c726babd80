import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * The JSON Schema of the W3C PROV-JSON Member Submission (24 April 2013),
 * https://www.w3.org/Submission/2013/SUBM-prov-json-20130424/schema, kept here
 * because tests run offline. It is the published file as written, copied via
 * IQSS/dataverse (src/main/java/edu/harvard/iq/dataverse/provenance/ProvInvestigator.java,
 * which embeds it) with Dataverse's own additions taken back out, and checked
 * against the W3C copy's opening. It is draft-04, hence ajv-draft-04; ajv-formats
 * checks its `uri` and `date-time` formats.
 */
const schema = JSON.parse(fs.readFileSync(path.resolve('test/support/prov-json.schema.json'), 'utf8')) as Record<string, unknown>;

const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
// The published schema puts these two inside `activity` beside its keywords, where no validator reads them.
ajv.addVocabulary(['prov:startTime', 'prov:endTime']);

export const validateProvJson = ajv.compile(schema);

/** Ajv's errors in a line each, for a failing assertion to show. */
export function provErrors(): string[] {
  return (validateProvJson.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}
