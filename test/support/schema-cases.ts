/**
 * Invalid inputs derived from a JSON Schema (zod's `toJSONSchema`), so the
 * router tests cover every constraint every method declares, not a hand-picked few.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

export interface Case {
  name: string;
  value: unknown;
}

const SAMPLE: Record<string, unknown> = {
  string: 'some text',
  number: 1.5,
  boolean: true,
  null: null,
  array: [],
  object: {},
};

function typesOf(schema: JsonSchema): Set<string> {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return new Set(branches.flatMap((branch) => [...typesOf(branch)]));
  const types = new Set<string>();
  const add = (t: string) => types.add(t === 'integer' ? 'integer' : t);
  if (schema.type) (Array.isArray(schema.type) ? schema.type : [schema.type]).forEach(add);
  for (const value of [...(schema.enum ?? []), ...('const' in schema ? [schema.const] : [])]) {
    add(value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
  }
  return types;
}

function isAllowedSample(types: Set<string>, type: string): boolean {
  if (types.has(type)) return true;
  // 1.5 is no integer, so it stays a wrong value where only integers are allowed.
  return false;
}

function wrongTypes(schema: JsonSchema, path: string): Case[] {
  const types = typesOf(schema);
  if (types.size === 0) return [];
  return Object.entries(SAMPLE)
    .filter(([type]) => !isAllowedSample(types, type))
    .map(([type, value]) => ({ name: `${path}: ${type} instead of ${[...types].join(' or ')}`, value }));
}

function scalarConstraints(schema: JsonSchema, path: string): Case[] {
  const cases: Case[] = [];
  if (schema.enum) cases.push({ name: `${path}: not one of the choices`, value: typeof schema.enum[0] === 'number' ? -987654 : 'not-a-choice' });
  if ('const' in schema) cases.push({ name: `${path}: not the one allowed value`, value: typeof schema.const === 'string' ? `${schema.const}-other` : 'other' });
  if (schema.minLength !== undefined && schema.minLength > 0) cases.push({ name: `${path}: shorter than ${schema.minLength}`, value: '' });
  if (schema.maxLength !== undefined) cases.push({ name: `${path}: longer than ${schema.maxLength}`, value: 'x'.repeat(schema.maxLength + 1) });
  if (schema.pattern) {
    for (const candidate of ['has spaces / and \u0000 a NUL', '../../etc/passwd']) {
      if (!new RegExp(schema.pattern).test(candidate)) {
        cases.push({ name: `${path}: does not match ${schema.pattern.slice(0, 40)}`, value: candidate });
        break;
      }
    }
  }
  if (schema.format === 'date-time') cases.push({ name: `${path}: not a date-time`, value: '22/11/2026 10:00' });
  if (schema.format === 'uri') cases.push({ name: `${path}: not a URL`, value: 'not a url' });
  if (schema.minimum !== undefined) cases.push({ name: `${path}: below ${schema.minimum}`, value: schema.minimum - 1 });
  if (schema.exclusiveMinimum !== undefined) cases.push({ name: `${path}: not above ${schema.exclusiveMinimum}`, value: schema.exclusiveMinimum });
  if (schema.maximum !== undefined) cases.push({ name: `${path}: above ${schema.maximum}`, value: schema.maximum + 1 });
  if (schema.exclusiveMaximum !== undefined) cases.push({ name: `${path}: not below ${schema.exclusiveMaximum}`, value: schema.exclusiveMaximum });
  if (typesOf(schema).has('integer') && !typesOf(schema).has('number')) cases.push({ name: `${path}: not a whole number`, value: 2.5 });
  return cases;
}

/** Every invalid replacement for the value at this node, including ones deeper inside it. */
function mutations(schema: JsonSchema, value: unknown, path: string): Case[] {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    // A nullable field: wrong types are those no branch takes; constraints come from the non-null branch.
    const cases = wrongTypes(schema, path);
    for (const branch of branches) {
      if (!typesOf(branch).has('null')) cases.push(...mutations({ ...branch, type: undefined, anyOf: undefined }, value, path).filter((c) => !/instead of/.test(c.name)));
    }
    return cases;
  }
  const cases = [...wrongTypes(schema, path), ...scalarConstraints(schema, path)];
  if (schema.properties) {
    const base = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      const { [key]: _removed, ...rest } = base;
      cases.push({ name: `${path}.${key}: missing`, value: rest });
    }
    if (schema.additionalProperties === false) {
      cases.push({ name: `${path}: unexpected extra field`, value: { ...base, unexpectedField: 1 } });
    }
    for (const [key, child] of Object.entries(schema.properties)) {
      for (const inner of mutations(child, base[key], `${path}.${key}`)) {
        cases.push({ name: inner.name, value: { ...base, [key]: inner.value } });
      }
    }
  }
  return cases;
}

/** Invalid variants of `valid`, one per constraint the schema declares. */
export function invalidCases(schema: JsonSchema, valid: unknown): Case[] {
  return [{ name: 'input: missing altogether', value: undefined }, ...mutations(schema, valid, 'input')];
}
