import type { ProvDocument } from '../../../shared/api/schemas/lineage';

export type Attributes = Record<string, unknown>;

/** PROV-JSON's relation members, with the two (or one) ids each one must name. */
const RELATIONS = {
  wasGeneratedBy: ['prov:entity', 'prov:activity'],
  used: ['prov:activity', 'prov:entity'],
  wasDerivedFrom: ['prov:generatedEntity', 'prov:usedEntity'],
  wasAttributedTo: ['prov:entity', 'prov:agent'],
  wasAssociatedWith: ['prov:activity', 'prov:agent'],
  actedOnBehalfOf: ['prov:delegate', 'prov:responsible'],
  alternateOf: ['prov:alternate1', 'prov:alternate2'],
  hadMember: ['prov:collection', 'prov:entity'],
} as const;
export type Relation = keyof typeof RELATIONS;

/** A qualified name as an attribute value (PROV-DM's prov:QUALIFIED_NAME), e.g. a `prov:type`. */
export const qualified = (name: string) => ({ $: name, type: 'prov:QUALIFIED_NAME' });

/** A value that may be absent: absent attributes are left out rather than written as null, which PROV-JSON has no literal for. */
export function present(attributes: Record<string, unknown>): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null && value !== undefined));
}

/**
 * Collects a PROV-JSON document (W3C Member Submission, 24 April 2013):
 * records keyed by their qualified name, relations keyed by blank ids.
 * Saying the same record twice merges its attributes; the same relation twice
 * is kept once, so callers can walk a graph without tracking what they said.
 */
export class ProvBuilder {
  private readonly records = { entity: new Map<string, Attributes>(), activity: new Map<string, Attributes>(), agent: new Map<string, Attributes>() };
  private readonly relations = new Map<Relation, Map<string, Attributes>>();
  private readonly said = new Set<string>();

  constructor(private readonly prefix: Record<string, string>) {}

  private record(kind: keyof ProvBuilder['records'], id: string, attributes: Attributes): string {
    const map = this.records[kind];
    map.set(id, { ...map.get(id), ...present(attributes) });
    return id;
  }

  entity(id: string, attributes: Attributes = {}): string {
    return this.record('entity', id, attributes);
  }

  agent(id: string, attributes: Attributes = {}): string {
    return this.record('agent', id, attributes);
  }

  /** An activity; said again with other times, it spans from the earliest start to the latest end. */
  activity(id: string, attributes: Attributes, span: { start?: string | null; end?: string | null } = {}): string {
    const known = this.records.activity.get(id) ?? {};
    const earliest = [known['prov:startTime'], span.start].filter((t): t is string => typeof t === 'string').sort()[0];
    const latest = [known['prov:endTime'], span.end].filter((t): t is string => typeof t === 'string').sort().at(-1);
    return this.record('activity', id, { ...attributes, 'prov:startTime': earliest, 'prov:endTime': latest });
  }

  relation(kind: Relation, first: string, second: string, attributes: Attributes = {}): void {
    const [a, b] = RELATIONS[kind];
    const body = present({ [a]: first, [b]: second, ...attributes });
    const key = `${kind} ${JSON.stringify(body)}`;
    if (this.said.has(key)) return;
    this.said.add(key);
    const map = this.relations.get(kind) ?? new Map<string, Attributes>();
    this.relations.set(kind, map);
    map.set(`_:${kind}${map.size + 1}`, body);
  }

  document(): ProvDocument {
    const document: ProvDocument = { prefix: this.prefix };
    for (const [kind, map] of Object.entries(this.records)) if (map.size > 0) document[kind] = Object.fromEntries(map);
    for (const [kind, map] of this.relations) document[kind] = Object.fromEntries(map);
    return document;
  }
}
