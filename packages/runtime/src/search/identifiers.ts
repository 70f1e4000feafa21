/**
 * What a search identifier (`trace.status`, `tags.env`, `metadata.\`mlflow.trace.user\``...)
 * refers to, for filters and order_by alike — MLflow's entity prefixes and key rewrites
 * (search grammar spec B.2, B.3, B.6).
 */
import { TraceMetadataKey, TraceTagKey } from '../model/constants.js';
import { FilterSyntaxError, pySet, type SearchInputKind } from './errors.js';
import type { Token } from './lexer.js';

export type EntityType = 'attribute' | 'tag' | 'metadata' | 'span' | 'feedback' | 'expectation' | 'issue' | 'prompt';

/** Entity prefixes are case-sensitive: `TRACE.status` is rejected, as by MLflow. */
const ENTITY_BY_PREFIX: Readonly<Record<string, EntityType>> = {
  attribute: 'attribute',
  attributes: 'attribute',
  trace: 'attribute',
  tag: 'tag',
  tags: 'tag',
  metadata: 'metadata',
  request_metadata: 'metadata',
  span: 'span',
  feedback: 'feedback',
  expectation: 'expectation',
  issue: 'issue',
};

export type NumericAttribute = 'timestamp_ms' | 'execution_time_ms' | 'end_time_ms';
export type StringAttribute = 'status' | 'request_id' | 'client_request_id';

export const NUMERIC_ATTRIBUTES: Readonly<Record<string, NumericAttribute>> = {
  timestamp: 'timestamp_ms',
  timestamp_ms: 'timestamp_ms',
  execution_time: 'execution_time_ms',
  execution_time_ms: 'execution_time_ms',
  end_time: 'end_time_ms',
  end_time_ms: 'end_time_ms',
};
const STRING_ATTRIBUTES: ReadonlySet<string> = new Set<StringAttribute>(['status', 'request_id', 'client_request_id']);
/** Attribute keys a filter may name (the rewritten ones included). */
const FILTER_ATTRIBUTE_KEYS = [
  ...Object.keys(NUMERIC_ATTRIBUTES),
  ...STRING_ATTRIBUTES,
  'name',
  'run_id',
  'prompt',
  'text',
];

export const SPAN_FIELDS = ['name', 'type', 'status'] as const;
export type SpanField = (typeof SPAN_FIELDS)[number];
export const SPAN_ATTRIBUTE_PREFIX = 'attributes.';

/** A resolved identifier: the entity and its canonical key (aliases and rewrites applied). */
export interface ResolvedIdentifier {
  entity: EntityType;
  /**
   * attribute: `timestamp_ms` | `execution_time_ms` | `end_time_ms` | `status` | `request_id` |
   * `client_request_id`; tag/metadata: the key; span: `name` | `type` | `status` | `content` |
   * `attributes.<key>`; feedback/expectation: the assessment name; issue: `id`; prompt: `prompt`.
   */
  key: string;
}

interface RawIdentifier {
  prefix: string | undefined;
  key: string;
}

function split(token: Token): RawIdentifier {
  const parts = token.parts!;
  if (parts.length === 1) return { prefix: undefined, key: parts[0]!.text };
  // MLflow splits on the first dot only: `tags.a.b` is the tag `a.b`.
  return { prefix: parts[0]!.quoted ? undefined : parts[0]!.text, key: parts.slice(1).map((p) => p.text).join('.') };
}

/** Rejects unquoted parts that are not SQL identifiers (`tags.my-tag` needs backticks). */
function checkIdentifierSyntax(token: Token, input: string, kind: SearchInputKind): void {
  const parts = token.parts!;
  const bad = parts.some((p, i) => !p.quoted && (p.text.includes('-') || (i === 0 && p.text === '')));
  if (bad) {
    throw new FilterSyntaxError(`Invalid comparison clause. Expected 'Identifier' found '${token.text}'`, input, token.start, token.text, kind);
  }
}

function fail(reason: string, token: Token, input: string, kind: SearchInputKind): never {
  throw new FilterSyntaxError(reason, input, token.start, token.text, kind);
}

/** Resolves a filter identifier; errors are MLflow's (entity, attribute key, span field, empty names). */
export function resolveFilterIdentifier(token: Token, input: string): ResolvedIdentifier {
  checkIdentifierSyntax(token, input, 'filter');
  const { prefix, key } = split(token);
  const entity = prefix === undefined ? 'attribute' : ENTITY_BY_PREFIX[prefix];
  if (entity === undefined) {
    fail(`Invalid entity type '${prefix}'. Valid values are ${pySet(Object.keys(ENTITY_BY_PREFIX))}`, token, input, 'filter');
  }
  switch (entity) {
    case 'attribute':
      return resolveAttribute(key, token, input);
    case 'tag':
    case 'metadata':
      if (key === '') fail(`Invalid comparison clause. Expected 'Identifier' found '${token.text}'`, token, input, 'filter');
      return { entity, key };
    case 'span':
      return resolveSpanKey(key, token, input);
    case 'feedback':
    case 'expectation':
      if (key.trim() === '') fail('Assessment field name cannot be empty', token, input, 'filter');
      return { entity, key };
    case 'issue':
      // MLflow's parser rewrites `issue.name` to the trace-name tag before the store sees it;
      // the store accepts `issue.id` only. Kept identical so local and server results agree.
      if (key === 'name') return { entity: 'tag', key: TraceTagKey.TRACE_NAME };
      if (key !== 'id') fail(`Invalid issue key '${key}'. Only 'issue.id' is supported`, token, input, 'filter');
      return { entity, key };
    default:
      return fail(`Invalid entity type '${prefix}'`, token, input, 'filter');
  }
}

function resolveAttribute(key: string, token: Token, input: string): ResolvedIdentifier {
  if (Object.hasOwn(NUMERIC_ATTRIBUTES, key)) return { entity: 'attribute', key: NUMERIC_ATTRIBUTES[key]! };
  if (STRING_ATTRIBUTES.has(key)) return { entity: 'attribute', key };
  switch (key) {
    case 'name':
      return { entity: 'tag', key: TraceTagKey.TRACE_NAME };
    case 'run_id':
      return { entity: 'metadata', key: TraceMetadataKey.SOURCE_RUN };
    case 'text':
      return { entity: 'span', key: 'content' };
    case 'prompt':
      return { entity: 'prompt', key: 'prompt' };
  }
  return fail(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(FILTER_ATTRIBUTE_KEYS)}'`, token, input, 'filter');
}

function resolveSpanKey(key: string, token: Token, input: string): ResolvedIdentifier {
  if ((SPAN_FIELDS as readonly string[]).includes(key) || key === 'content') return { entity: 'span', key };
  if (key.startsWith(SPAN_ATTRIBUTE_PREFIX)) {
    if (key.length === SPAN_ATTRIBUTE_PREFIX.length) fail("Span attribute name cannot be empty after 'attributes.'", token, input, 'filter');
    return { entity: 'span', key };
  }
  return fail(`Invalid span attribute '${key}'. Supported attributes: name, status, type, attributes.<attribute_name>.`, token, input, 'filter');
}

/**
 * order_by keys (B.6): trace attributes incl. experiment_id, tags and metadata; not
 * client_request_id. tracewright adds `feedback.<name>` / `expectation.<name>`.
 */
export function resolveOrderByIdentifier(token: Token, input: string): ResolvedIdentifier {
  checkIdentifierSyntax(token, input, 'order_by');
  const { prefix, key } = split(token);
  const entity = prefix === undefined ? 'attribute' : ENTITY_BY_PREFIX[prefix];
  const invalid = (): never => fail(`Invalid ordering key in order_by clause '${input}'`, token, input, 'order_by');
  if (entity === 'tag' || entity === 'metadata' || entity === 'feedback' || entity === 'expectation') {
    if (key === '') invalid();
    return { entity, key };
  }
  if (entity !== 'attribute') return invalid();
  if (Object.hasOwn(NUMERIC_ATTRIBUTES, key)) return { entity, key: NUMERIC_ATTRIBUTES[key]! };
  if (key === 'status' || key === 'request_id' || key === 'experiment_id') return { entity, key };
  if (key === 'name') return { entity: 'tag', key: TraceTagKey.TRACE_NAME };
  if (key === 'run_id') return { entity: 'metadata', key: TraceMetadataKey.SOURCE_RUN };
  return invalid();
}
