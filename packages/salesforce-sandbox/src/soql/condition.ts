import {
  type Condition,
  type ConditionWithValueQuery,
  type NegationCondition,
  parseQuery,
  type WhereClause,
} from '@jetstreamapp/soql-parser-js';
import type { SObjectRecord } from '../contracts';
import { invalidField, malformedQuery, SalesforceApiError } from '../errors';
import { parseDateTime } from '../format';
import { normalizeId } from '../ids';
import type { FieldDef, Schema } from '../schema';
import { dateLiteralRange } from './date-literals';
import { type RecordSource, readPath, resolvePath } from './paths';

export type Predicate = (record: SObjectRecord) => boolean;

type Token =
  | { kind: '(' }
  | { kind: ')' }
  | { kind: 'NOT' }
  | { kind: 'AND' }
  | { kind: 'OR' }
  | { kind: 'COND'; condition: Condition };

/**
 * Compiles a WHERE clause. The parser returns it as a right-leaning chain with parenthesis
 * counts on each condition; this rebuilds the tree with SOQL's rules: NOT binds to the next
 * condition or group, and AND and OR may not be mixed at one level without parentheses.
 */
export function compileWhere(
  schema: Schema,
  source: RecordSource,
  objectName: string,
  where: WhereClause | undefined,
  now: () => number,
  /** Validation-rule conditions may test long text fields, which SOQL cannot filter on. */
  formula = false,
): Predicate {
  if (!where) return () => true;
  // Syntax first (as Salesforce reports it), then fields and literal types.
  const tree = parseTree(tokenize(where));
  const compile = (node: Node): Predicate => {
    switch (node.kind) {
      case 'cond':
        return compileCondition(schema, source, objectName, node.condition, now, formula);
      case 'not': {
        const inner = compile(node.inner);
        return (r) => !inner(r);
      }
      case 'and': {
        const all = node.items.map(compile);
        return (r) => all.every((p) => p(r));
      }
      case 'or': {
        const any = node.items.map(compile);
        return (r) => any.some((p) => p(r));
      }
    }
  };
  return compile(tree);
}

type Node =
  | { kind: 'cond'; condition: Condition }
  | { kind: 'not'; inner: Node }
  | { kind: 'and' | 'or'; items: Node[] };

function parseTree(tokens: Token[]): Node {
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const expression = (): Node => {
    const items = [unary()];
    let op: 'AND' | 'OR' | undefined;
    for (let t = peek(); t && (t.kind === 'AND' || t.kind === 'OR'); t = peek()) {
      if (op && op !== t.kind) throw malformedQuery(`unexpected token: '${t.kind}'`);
      op = t.kind;
      pos += 1;
      items.push(unary());
    }
    const [first] = items;
    if (!op && first) return first;
    return { kind: op === 'OR' ? 'or' : 'and', items };
  };
  const unary = (): Node => {
    const t = peek();
    pos += 1;
    if (!t) throw malformedQuery('unexpected end of WHERE clause');
    if (t.kind === 'NOT') return { kind: 'not', inner: unary() };
    if (t.kind === '(') {
      const inner = expression();
      if (peek()?.kind !== ')') throw malformedQuery("unexpected token: expecting ')'");
      pos += 1;
      return inner;
    }
    if (t.kind === 'COND') return { kind: 'cond', condition: t.condition };
    throw malformedQuery(`unexpected token: '${t.kind}'`);
  };
  const result = expression();
  if (pos !== tokens.length) throw malformedQuery(`unexpected token: '${tokens[pos]?.kind ?? ''}'`);
  return result;
}

function tokenize(where: WhereClause): Token[] {
  const tokens: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const left: ConditionWithValueQuery | NegationCondition | null = node.left;
    const operator = 'operator' in node ? node.operator : undefined;
    if (left === null || !isValueCondition(left)) {
      for (let i = 0; i < parens(left); i += 1) tokens.push({ kind: '(' });
      if (operator !== 'NOT') throw malformedQuery('unexpected token in WHERE clause');
      tokens.push({ kind: 'NOT' });
    } else {
      for (let i = 0; i < (left.openParen ?? 0); i += 1) tokens.push({ kind: '(' });
      if ('valueQuery' in left)
        throw malformedQuery('Semi-join subqueries are not supported by this sandbox');
      if (!('field' in left)) throw malformedQuery('Functions in WHERE are not supported by this sandbox');
      tokens.push({ kind: 'COND', condition: left });
      for (let i = 0; i < (left.closeParen ?? 0); i += 1) tokens.push({ kind: ')' });
      if (operator === 'AND' || operator === 'OR') tokens.push({ kind: operator });
      else if (operator === 'NOT') throw malformedQuery("unexpected token: 'NOT'");
    }
    node = 'right' in node ? node.right : undefined;
  }
  return tokens;
}

function parens(c: { openParen?: number } | null): number {
  return c?.openParen ?? 0;
}

function isValueCondition(c: ConditionWithValueQuery | NegationCondition): c is ConditionWithValueQuery {
  return 'field' in c || 'fn' in c || 'valueQuery' in c;
}

/** Value kinds the comparison works on. */
type Kind = 'string' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

function kindOf(field: FieldDef): Kind {
  switch (field.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'string';
  }
}

/** A literal after checking it fits the field: a point value, or a [start, end) range for date literals. */
type Literal = { null: true } | { value: string | number | boolean } | { range: [number, number] };

function compileCondition(
  schema: Schema,
  source: RecordSource,
  objectName: string,
  condition: Condition,
  now: () => number,
  formula: boolean,
): Predicate {
  if (!('field' in condition)) throw malformedQuery('unsupported condition');
  const path = resolvePath(schema, objectName, condition.field);
  const kind = kindOf(path.field);
  const operator = condition.operator;
  if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
    throw malformedQuery(`${operator} is only valid for multi-select picklists`);
  }
  if (path.field.type === 'base64' || (path.field.type === 'textarea' && !formula)) {
    throw invalidField(`field '${path.field.name}' can not be filtered in a query call`);
  }
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  const literalType = condition.literalType;
  const types: string[] = Array.isArray(literalType)
    ? literalType
    : values.map(() => literalType ?? 'STRING');
  const isList = operator === 'IN' || operator === 'NOT IN';
  if (isList !== Array.isArray(condition.value)) throw malformedQuery(`unexpected token: '${operator}'`);
  const variables = 'dateLiteralVariable' in condition ? condition.dateLiteralVariable : undefined;
  const literals = values.map((raw, i) =>
    literal(
      path.field,
      kind,
      raw,
      types[i] ?? 'STRING',
      Array.isArray(variables) ? variables[i] : variables,
      now,
    ),
  );
  if (operator === 'LIKE') {
    if (kind !== 'string' && kind !== 'id') {
      throw new SalesforceApiError(
        400,
        'INVALID_QUERY_FILTER_OPERATOR',
        `invalid operator on ${path.field.type} field: ${path.field.name}`,
      );
    }
    const lit = literals[0];
    if (!lit || !('value' in lit)) throw malformedQuery('LIKE needs a string');
    const re = likePattern(String(lit.value));
    return (record) => {
      const v = readPath(source, record, path);
      return typeof v === 'string' && re.test(v);
    };
  }
  if (
    kind === 'boolean' &&
    (operator === '<' || operator === '>' || operator === '<=' || operator === '>=')
  ) {
    throw new SalesforceApiError(
      400,
      'INVALID_QUERY_FILTER_OPERATOR',
      `invalid operator on boolean field: ${path.field.name}`,
    );
  }
  return (record) => {
    const v = normalizeValue(kind, readPath(source, record, path));
    switch (operator) {
      case '=':
        return matches(v, literals[0]);
      case '!=':
        return !matches(v, literals[0]);
      case 'IN':
        return literals.some((l) => matches(v, l));
      case 'NOT IN':
        return !literals.some((l) => matches(v, l));
      default:
        return compare(v, operator, literals[0]);
    }
  };
}

function literal(
  field: FieldDef,
  kind: Kind,
  raw: string,
  literalType: string,
  variable: number | undefined,
  now: () => number,
): Literal {
  if (literalType === 'NULL') return { null: true };
  const wrongType = (expected: string, quoted: boolean): SalesforceApiError =>
    invalidField(
      `value of filter criterion for field '${field.name}' must be of type ${expected} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    );
  switch (kind) {
    case 'string':
      if (literalType !== 'STRING') throw wrongType('string', true);
      return { value: unquote(raw).toLowerCase() };
    case 'id': {
      if (literalType !== 'STRING') throw wrongType('id', true);
      const text = unquote(raw);
      const id = normalizeId(text);
      if (!id)
        throw new SalesforceApiError(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${text}`);
      return { value: id };
    }
    case 'number':
      if (literalType !== 'INTEGER' && literalType !== 'DECIMAL') throw wrongType('double', false);
      return { value: Number(raw) };
    case 'boolean':
      if (literalType !== 'BOOLEAN') throw wrongType('boolean', false);
      return { value: raw.toLowerCase() === 'true' };
    case 'date':
    case 'datetime': {
      if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
        return { range: dateLiteralRange(raw, variable, now()) };
      }
      if (kind === 'date' && literalType === 'DATE') return { value: Date.parse(`${raw}T00:00:00Z`) };
      if (kind === 'datetime' && literalType === 'DATETIME') {
        const t = parseDateTime(raw);
        if (t === undefined) throw malformedQuery(`invalid datetime: ${raw}`);
        return { value: t };
      }
      throw wrongType(kind === 'date' ? 'date' : 'dateTime', false);
    }
  }
}

function normalizeValue(kind: Kind, v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'string':
      return String(v).toLowerCase();
    case 'date':
      return typeof v === 'string' ? Date.parse(`${v.slice(0, 10)}T00:00:00Z`) : null;
    case 'datetime':
      return typeof v === 'string' ? (parseDateTime(v) ?? null) : null;
    default:
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
  }
}

function matches(v: string | number | boolean | null, lit: Literal | undefined): boolean {
  if (!lit) return false;
  if ('null' in lit) return v === null;
  if (v === null) return false;
  if ('range' in lit) return typeof v === 'number' && v >= lit.range[0] && v < lit.range[1];
  return v === lit.value;
}

function compare(v: string | number | boolean | null, operator: string, lit: Literal | undefined): boolean {
  if (!lit || 'null' in lit || v === null) return false;
  if ('range' in lit) {
    if (typeof v !== 'number') return false;
    const [start, end] = lit.range;
    if (operator === '<') return v < start;
    if (operator === '<=') return v < end;
    if (operator === '>') return v >= end;
    return v >= start;
  }
  const a = v;
  const b = lit.value;
  if (typeof a !== typeof b) return false;
  if (operator === '<') return a < b;
  if (operator === '<=') return a <= b;
  if (operator === '>') return a > b;
  return a >= b;
}

/** SOQL string literal: single quotes with backslash escapes. */
export function unquote(raw: string): string {
  const body = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  return body.replace(/\\(.)/g, (_m, c: string) => {
    if (c === 'n') return '\n';
    if (c === 't') return '\t';
    if (c === 'r') return '\r';
    if (c === '%' || c === '_') return `\\${c}`;
    return c;
  });
}

/** LIKE: `%` any run, `_` one character, `\%` and `\_` literal; case-insensitive as in Salesforce. */
function likePattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      i += 1;
      re += escapeRegExp(pattern.charAt(i));
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`, 'i');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A standalone condition over one object's records, written in SOQL WHERE syntax
 * (validation rules use it).
 */
export function compileRecordCondition(
  schema: Schema,
  source: RecordSource,
  objectName: string,
  condition: string,
  now: () => number = Date.now,
): Predicate {
  const parsed = parseQuery(`SELECT Id FROM ${objectName} WHERE ${condition}`);
  return compileWhere(schema, source, objectName, parsed.where, now, true);
}
