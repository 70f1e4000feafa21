import { describe, expect, it } from 'vitest';
import { compileFilter, FilterSyntaxError, needsSpans, parseFilter } from './index.js';
import { corpus, matchingIds } from './__tests__/corpus.js';
import { filterSyntaxError } from './__tests__/filter-error.js';

/** [filter, ids of the corpus traces it must match (corpus order)] */
type Row = [string, string[]];

function expectMatches(rows: Row[]): void {
  it.each(rows)('%s', (filter, expected) => {
    expect(matchingIds(compileFilter(filter))).toEqual(expected);
  });
}

describe('spec B.9 examples', () => {
  expectMatches([
    ["trace.status = 'ERROR'", ['b']],
    ['status = "OK"', ['a', 'd']],
    ["trace.status IN ('OK', 'ERROR')", ['a', 'b', 'd']],
    ["trace.status NOT IN ('IN_PROGRESS')", ['a', 'b', 'd', 'e']],
    ['trace.timestamp_ms > 1700000000000', ['c', 'd', 'e']],
    ['timestamp > 1700000000000', ['c', 'd', 'e']],
    ['trace.execution_time_ms >= 200 AND trace.execution_time_ms <= 800', ['a', 'd']],
    ['trace.end_time_ms > 1700000000250', ['c', 'd', 'e']],
    ["trace.name = 'predict'", ['a']],
    ["trace.name RLIKE '^(predict|inference)_[0-9]+'", ['b']],
    ["trace.client_request_id LIKE 'req-%'", ['a', 'b']],
    ["trace.request_id IN ('tr-a', 'tr-c')", ['a', 'c']],
    ["trace.run_id = 'abc123'", ['a']],
    ['prompt = "qa-system-prompt/4"', ['c']],
    ["trace.text ILIKE '%refund%'", ['a', 'd']],
    ["tags.environment = 'production' AND trace.status = 'ERROR' AND trace.execution_time_ms > 500", ['b']],
    ["tags.`mlflow.traceName` = 'predict'", ['a']],
    ['tag.model_name IS NOT NULL', ['a']],
    ['tag.environment IS NULL', ['d', 'e']],
    ["tags.version RLIKE '^v[0-9]+'", ['a']],
    ["metadata.`mlflow.trace.session` = 'session-123'", ['a']],
    ["metadata.`mlflow.trace.user` LIKE 'user-%'", ['a', 'b', 'd']],
    ["span.type = 'LLM' AND span.status = 'ERROR'", ['a']],
    ["span.name IN ('retrieve_docs', 'rerank')", ['a', 'b']],
    ["span.attributes.`mlflow.llm.model` LIKE '%gpt-4o%'", ['a', 'b']],
    ["feedback.correctness = 'yes'", ['a']],
    ["feedback.user_rating != 'bad'", ['a']],
    ['feedback.relevance IS NOT NULL', ['b']],
    ["expectation.expected_answer LIKE '%Paris%'", ['a']],
    ["issue.id = 'iss-1'", ['c']],
  ]);
});

describe('identifiers, values and MLflow quirks', () => {
  expectMatches([
    ["attributes.status = 'OK'", ['a', 'd']],
    ["attribute.status = 'OK'", ['a', 'd']],
    ["request_metadata.`mlflow.trace.user` = 'admin'", ['c']],
    ['tags."my.tag" = \'dotted\'', ['d']],
    ["tags.my.tag = 'dotted'", ['d']],
    ["tags.`my-tag` = 'x'", ['d']],
    ["tags.quote = 'it''s'", ['e']],
    ["trace.timestamp_ms > '1700000000000'", ['c', 'd', 'e']],
    ['trace.timestamp_ms > 1.7e12', ['c', 'd', 'e']],
    ['trace.execution_time_ms = 0', ['e']],
    ['trace.execution_time_ms != 250', ['b', 'd', 'e']],
    ['execution_time < 300', ['a', 'e']],
    ['trace.timestamp_ms <= 1690000000000', ['b']],
    ['end_time <= 1700000000250', ['a', 'b']],
    ['end_time_ms = 1710000000000', ['c']],
    ["prompt = 'qa-system-prompt/3'", []],
    ["trace.status = 'STATE_UNSPECIFIED'", ['e']],
    ["trace.status = 'OK' AND", ['a', 'd']],
    ["trace.status = 'OK' AND AND trace.name = 'predict'", ['a']],
    ["trace.status in ('OK') and tags.environment like 'prod%'", ['a']],
    ["trace.status = 'OK';", ['a', 'd']],
    ["feedback.ok = 'true'", ['b']],
    ["feedback.relevance = '0.8'", ['b']],
    ['feedback.relevance IS NULL', ['a', 'c', 'd', 'e']],
    ["feedback.ok LIKE 'tr%'", ['b']],
    ["issue.name = 'chat'", ['c']],
    ["span.attributes.`mlflow.llm.model` = 'gpt-4o'", ['b']],
    ['', ['a', 'b', 'c', 'd', 'e']],
    ['   ', ['a', 'b', 'c', 'd', 'e']],
  ]);

  it('keeps quoted values verbatim (no escape processing)', () => {
    expect(parseFilter("tags.quote = 'it''s'")).toMatchObject({ value: "it''s" });
    expect(parseFilter('tags.x = "a\\nb"')).toMatchObject({ value: 'a\\nb' });
  });

  it('resolves aliases and MLflow rewrites in the AST', () => {
    expect(parseFilter("trace.name = 'x'")).toMatchObject({ entity: 'tag', key: 'mlflow.traceName' });
    expect(parseFilter("run_id = 'x'")).toMatchObject({ entity: 'metadata', key: 'mlflow.sourceRun' });
    expect(parseFilter("text LIKE '%x%'")).toMatchObject({ entity: 'span', key: 'content' });
    expect(parseFilter('timestamp > 1')).toMatchObject({ entity: 'attribute', key: 'timestamp_ms', value: 1 });
    expect(parseFilter("span.attributes.`a.b` LIKE 'x'")).toMatchObject({ entity: 'span', key: 'attributes.a.b' });
  });
});

describe('OR, NOT and parentheses (tracewright additions)', () => {
  expectMatches([
    ["trace.status = 'OK' OR trace.status = 'ERROR'", ['a', 'b', 'd']],
    ["(trace.status = 'OK')", ['a', 'd']],
    ["NOT trace.status = 'OK'", ['b', 'c', 'e']],
    // AND binds tighter than OR: ERROR OR (IN_PROGRESS AND production)
    ["trace.status = 'ERROR' OR trace.status = 'IN_PROGRESS' AND tags.environment = 'production'", ['b']],
    ["(trace.status = 'ERROR' OR trace.status = 'IN_PROGRESS') AND tags.environment = 'staging'", ['c']],
    // NOT binds tighter than AND
    ["NOT trace.status = 'OK' AND tags.environment = 'production'", ['b']],
    ["NOT (trace.status = 'OK' OR trace.status = 'ERROR')", ['c', 'e']],
    ["not not trace.status = 'OK'", ['a', 'd']],
    // Boolean NOT: traces without the tag are "not production" too.
    ["NOT tags.environment = 'production'", ['c', 'd', 'e']],
    ["NOT span.type = 'LLM'", ['c', 'd', 'e']],
    ["span.type = 'LLM' OR span.type = 'TOOL'", ['a', 'b', 'd']],
    ["((tags.environment = 'staging') OR (((trace.name = 'predict'))))", ['a', 'c']],
    ["trace.status = 'OK' OR trace.status = 'ERROR' OR trace.status = 'IN_PROGRESS' OR trace.status = 'STATE_UNSPECIFIED'", ['a', 'b', 'c', 'd', 'e']],
  ]);
});

describe('span predicates in one conjunction match the same span', () => {
  expectMatches([
    // b has an LLM span and an ERROR span, but not one failing LLM span.
    ["span.type = 'LLM' AND span.status = 'ERROR'", ['a']],
    ["(span.type = 'LLM') AND (span.status = 'ERROR')", ['a']],
    ["span.type = 'LLM' AND trace.status = 'ERROR'", ['b']],
    ["span.type = 'LLM' AND span.name = 'rerank'", []],
    ["span.name = 'llm' AND span.status = 'OK'", ['b']],
    ["span.name = 'llm' AND (span.status = 'OK' OR span.type = 'TOOL')", ['b']],
    ["span.type = 'LLM' AND trace.text LIKE '%refund%'", ['a']],
    ["span.type = 'RETRIEVER' AND trace.text LIKE '%refund%'", []],
    ["span.status = 'UNSET'", ['d']],
    ["span.type = 'UNKNOWN'", ['d']],
    ["span.name != 'llm' AND span.type = 'LLM'", []],
  ]);
});

describe('LIKE / ILIKE / RLIKE', () => {
  expectMatches([
    ["trace.name LIKE 'predict'", ['a']],
    ["trace.name LIKE 'predict%'", ['a', 'd']],
    ["trace.name LIKE '%_v2'", ['d']],
    ["trace.name LIKE 'pred_ct'", ['a']],
    ["trace.name LIKE 'PREDICT'", []],
    ["trace.name ILIKE 'PREDICT'", ['a']],
    ["trace.name ILIKE 'P%T'", ['a']],
    ["trace.name LIKE 'p.edict'", []],
    ["trace.name LIKE 'p%t'", ['a']],
    ["span.name LIKE 'a.b'", ['d']],
    ["span.name LIKE 'a_b'", ['d']],
    ["trace.text LIKE '%refund%'", ['a']],
    ["trace.text LIKE '%(half_price)%'", ['d']],
    ["trace.text LIKE '%100% (half%'", ['d']],
    ["trace.text LIKE '%[a-z]%'", []],
    ["span.content LIKE '%$^%'", []],
    ["tags.environment ILIKE '%'", ['a', 'b', 'c']],
    ["trace.name RLIKE 'PREDICT'", []],
    ["trace.name RLIKE 'dict$'", ['a']],
    ["trace.name RLIKE 'dict'", ['a', 'd']],
    ["trace.request_id RLIKE '^tr-[a-c]$'", ['a', 'b', 'c']],
  ]);
});

describe('IN / NOT IN on tags and metadata (tracewright extension): same as the OR / AND form', () => {
  it.each([
    ["tags.environment IN ('production', 'staging')", "(tags.environment = 'production' OR tags.environment = 'staging')"],
    ["tags.environment NOT IN ('production', 'nowhere')", "(tags.environment != 'production' AND tags.environment != 'nowhere')"],
    ["metadata.`mlflow.trace.user` IN ('user-1', 'admin', 'nobody')", "metadata.`mlflow.trace.user` = 'user-1' OR metadata.`mlflow.trace.user` = 'admin' OR metadata.`mlflow.trace.user` = 'nobody'"],
    ["metadata.`mlflow.trace.user` NOT IN ('user-1')", "metadata.`mlflow.trace.user` != 'user-1'"],
    ["trace.name IN ('predict', 'predict_v2')", "trace.name = 'predict' OR trace.name = 'predict_v2'"],
    ["trace.run_id IN ('abc123', 'def456')", "trace.run_id = 'abc123' OR trace.run_id = 'def456'"],
    ["NOT tags.version IN ('v12')", "NOT tags.version = 'v12'"],
    ["tags.quote IN ('it''s')", "tags.quote = 'it''s'"],
  ])('%s', (inForm, orForm) => {
    const ids = matchingIds(compileFilter(inForm));
    expect(ids).toEqual(matchingIds(compileFilter(orForm)));
    expect(ids.length).toBeGreaterThan(0);
  });
});

describe('needsSpans', () => {
  it.each([
    ["trace.status = 'OK'", false],
    ["metadata.`mlflow.trace.user` = 'u1' AND tags.x = 'y'", false],
    ["span.name = 'x'", true],
    ["trace.text LIKE '%x%'", true],
    ["trace.status = 'OK' OR NOT span.type = 'LLM'", true],
    ['', false],
    [undefined, false],
  ] as const)('%s → %s', (filter, expected) => {
    expect(needsSpans(filter)).toBe(expected);
  });

  it('never loads spans when a trace-level test already decides', () => {
    let loads = 0;
    const predicate = compileFilter("span.type = 'LLM' AND trace.status = 'ERROR'");
    for (const t of corpus) predicate({ info: t.info, spans: () => (loads++, t.spanList) });
    expect(loads).toBe(1); // only b is ERROR
  });

  it('loads spans at most once per trace, however many span tests the filter has', () => {
    let loads = 0;
    const predicate = compileFilter("span.name = 'nope' OR (tags.environment = 'production' AND span.type = 'RERANKER') OR NOT span.type = 'TOOL'");
    const matched = corpus.filter((t) => predicate({ info: t.info, spans: () => (loads++, t.spanList) }));
    expect(matched.map((t) => t.info.traceId)).toEqual(['tr-a', 'tr-b', 'tr-c', 'tr-e']);
    expect(loads).toBe(corpus.length);
  });

  it('treats a trace without span access as having no spans', () => {
    const predicate = compileFilter("NOT span.type = 'LLM'");
    expect(predicate({ info: corpus[0]!.info })).toBe(true);
  });
});

/** [filter, offending token, position, words of the reason] */
type ErrorRow = [string, string, number, string];

describe('rejected filters: token, position and MLflow wording', () => {
  it.each<ErrorRow>([
    // spec "Rejected examples" that tracewright still rejects
    ["trace.status > 'OK'", '>', 13, "Invalid comparator '>' not one of"],
    ["tags.my-tag = 'x'", 'tags.my-tag', 0, "Invalid comparison clause. Expected 'Identifier' found 'tags.my-tag'"],
    ['metadata.k = 5', '5', 13, "Expected a quoted string value for request_metadata (e.g. 'my-value'). Got value 5"],
    ['trace.execution_time_ms IN (1, 2)', '(', 27, 'supports comparison with a list of quoted string values'],
    // other error shapes
    ["tags.x = 5", '5', 9, 'Expected a quoted string value for tag'],
    ['trace.status = 5', '5', 15, 'attributes support comparison with numeric values'],
    ['status = OK', 'OK', 9, 'Parameter value is either not quoted or unidentified quote types used for string value OK.'],
    ["TRACE.status = 'OK'", 'TRACE.status', 0, "Invalid entity type 'TRACE'. Valid values are {"],
    ["trace.Status = 'OK'", 'trace.Status', 0, "Invalid attribute key 'Status' specified. Valid keys are"],
    ["foo = 'x'", 'foo', 0, "Invalid attribute key 'foo' specified"],
    ["trace.status == 'OK'", '==', 13, "Invalid comparator '==' not one of"],
    ['trace.timestamp_ms LIKE 5', 'LIKE', 19, "Invalid comparator 'LIKE' not one of '{'!=', '<', '<=', '=', '>', '>='}'"],
    ["trace.status IS NULL", 'IS', 13, "Invalid comparator 'IS NULL' not one of"],
    ["span.content = 'x'", '=', 13, "span.content comparator '=' not one of '{'ILIKE', 'LIKE'}'"],
    ["trace.text = 'x'", '=', 11, "span.content comparator '=' not one of"],
    ["span.name > 'a'", '>', 10, "span.name comparator '>' not one of"],
    ["span.foo = 'x'", 'span.foo', 0, "Invalid span attribute 'foo'. Supported attributes: name, status, type, attributes.<attribute_name>."],
    ["span.attributes. LIKE '%x%'", 'span.attributes.', 0, "Span attribute name cannot be empty after 'attributes.'"],
    ["feedback.x > 'a'", '>', 11, "assessment.x comparator '>' not one of"],
    ["feedback.`` = 'x'", 'feedback.``', 0, 'Assessment field name cannot be empty'],
    ["issue.id != 'x'", '!=', 9, "issue.id comparator '!=' not one of '{'='}'"],
    ["issue.foo = 'x'", 'issue.foo', 0, "Invalid issue key 'foo'"],
    ["prompt LIKE 'a/1'", 'LIKE', 7, `Invalid comparator 'LIKE' for prompts filter. Only '=' is supported with format: prompt = "name/version"`],
    ["prompt = 'noslash'", "'noslash'", 9, 'Invalid prompt filter value'],
    ["feedback.x IN ('a')", '(', 14, 'supports comparison with a list of quoted string values'],
    ["status = 'OK'; status = 'x'", ';', 13, `Search filter contained multiple expression "status = 'OK'; status = 'x'". Provide AND-ed expression list.`],
    ["status = 'abc", "'abc", 9, "Invalid clause(s) in filter string: ''abc'"],
    ["tags.env RLIKE '('", '(', 16, 'Invalid regular expression for RLIKE: missing closing )'],
    ["tags.env RLIKE 'x(a)\\1'", '\\1', 20, 'backreferences (\\1) are not supported'],
    ["status IN 'OK'", "'OK'", 10, 'parenthesised list of quoted strings'],
    ['status IN ()', ')', 11, 'non-empty list'],
    ["status IN ('a' 'b')", "'b'", 15, "Invalid clause(s) in filter string: ''b''"],
    ["foo.bar = 'x'", 'foo.bar', 0, "Invalid entity type 'foo'"],
    ["tags.env IS NOT 'x'", "'x'", 16, "Invalid clause(s) in filter string: ''x''"],
    ["status = 'OK' status = 'x'", 'status', 14, "Invalid clause(s) in filter string: 'status'"],
    ["trace.status BETWEEN 'a' AND 'b'", 'BETWEEN', 13, "Invalid clause(s) in filter string: 'BETWEEN'"],
    ["= 'OK'", '=', 0, "Invalid clause(s) in filter string: '='"],
    ['trace.status =', '', 14, 'missing its value'],
    ["trace.status = 'OK' OR", '', 22, 'unexpected end of filter'],
    ["trace.status = 'OK' AND (trace.status = 'ERROR'", '', 47, "Missing ')' to close the '(' at position 24"],
    ["trace.status = 'OK')", ')', 19, "Unbalanced ')'"],
    ["()", ')', 1, 'Empty parentheses'],
    ["tags.x = NULL", 'NULL', 9, 'IS NULL / IS NOT NULL'],
    ['trace.timestamp_ms > 12abc', '12abc', 21, "Invalid clause(s) in filter string: '12abc'"],
    ["trace.timestamp_ms > 'soon'", "'soon'", 21, 'Expected a numeric value'],
    ["tags.x = 'a' # comment", '#', 13, "Invalid clause(s) in filter string: '#'"],
  ])('%s', (filter, token, position, reason) => {
    const e = filterSyntaxError(() => compileFilter(filter));
    expect({ token: e.token, position: e.position }).toEqual({ token, position });
    expect(e.reason).toContain(reason);
    expect(e.filter).toBe(filter);
    expect(e.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(e.message).toContain(`position ${position}`);
  });

  it('formats the message with the token and a caret under it', () => {
    expect(() => compileFilter("trace.status = 'OK' AND trace.status ~ 'x'")).toThrow(
      "Invalid filter at position 37 near '~': Invalid clause(s) in filter string: '~'\n" +
        "  trace.status = 'OK' AND trace.status ~ 'x'\n" +
        '                                       ^',
    );
  });

  it('shows only the offending line of a multi-line filter', () => {
    const filter = "trace.status = 'OK'\n  AND tags.x > 'y'";
    try {
      compileFilter(filter);
      expect.unreachable();
    } catch (e) {
      const err = e as FilterSyntaxError;
      expect(err.position).toBe(filter.indexOf('>'));
      expect(err.message.split('\n').slice(1)).toEqual(["    AND tags.x > 'y'", '               ^']);
    }
  });

  it('rejects a non-string filter with a TypeError', () => {
    expect(() => parseFilter(42 as unknown as string)).toThrow(TypeError);
  });
});
