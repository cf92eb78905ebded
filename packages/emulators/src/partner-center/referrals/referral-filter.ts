/**
 * The OData `$filter` subset the Referrals API documents, parsed once and evaluated per referral:
 * comparisons (eq ne gt ge lt le) on documented fields, `and`/`or`/`not`, parentheses, and lambdas over
 * people (`team/any(t:t/email eq 'x@y')`). Anything else is a syntax error (→ 400 invalidRequest).
 * Property names and enum values match case-insensitively; string equality ignores case.
 */
import {
  type Member,
  REFERRAL_DIRECTIONS,
  REFERRAL_QUALIFICATIONS,
  REFERRAL_STATUSES,
  REFERRAL_SUBSTATUSES,
  REFERRAL_TYPES,
  type ReferralRecord,
  SALES_STAGES,
} from './referral.ts';
import { parseTimestamp } from './timestamps.ts';

export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
}

type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type FieldKind = 'string' | 'enum' | 'datetime' | 'number' | 'boolean';
type Field<Scope> = {
  name: string;
  kind: FieldKind;
  values?: readonly string[];
  get: (scope: Scope) => unknown;
};
type Operand = string | number | boolean | bigint | null;

export type FilterExpression =
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'compare'; field: Field<unknown>; op: Comparison; value: Operand }
  | {
      kind: 'lambda';
      quantifier: 'any' | 'all';
      collection: (referral: ReferralRecord) => readonly unknown[];
      body: FilterExpression | undefined;
    };

const field = <Scope>(
  name: string,
  kind: FieldKind,
  get: (scope: Scope) => unknown,
  values?: readonly string[],
): Field<Scope> => ({ name, kind, get, ...(values ? { values } : {}) });

const REFERRAL_FIELDS: Field<ReferralRecord>[] = [
  field('id', 'string', (r) => r.id),
  field('engagementId', 'string', (r) => r.engagementId),
  field('name', 'string', (r) => r.name),
  field('organizationId', 'string', (r) => r.organizationId),
  field('externalReferenceId', 'string', (r) => r.externalReferenceId),
  field('status', 'enum', (r) => r.status, REFERRAL_STATUSES),
  field('substatus', 'enum', (r) => r.substatus, REFERRAL_SUBSTATUSES),
  field('type', 'enum', (r) => r.type, REFERRAL_TYPES),
  field('qualification', 'enum', (r) => r.qualification, REFERRAL_QUALIFICATIONS),
  field('direction', 'enum', (r) => r.direction, REFERRAL_DIRECTIONS),
  field('salesStage', 'enum', (r) => r.salesStage, SALES_STAGES),
  field('createdDateTime', 'datetime', (r) => r.createdDateTime),
  field('updatedDateTime', 'datetime', (r) => r.updatedDateTime),
  field('acceptedDateTime', 'datetime', (r) => r.acceptedDateTime),
  field('closedDateTime', 'datetime', (r) => r.closedDateTime),
  field('expirationDateTime', 'datetime', (r) => r.expirationDateTime),
  field('favorite', 'boolean', (r) => r.favorite),
  field('customerProfile/name', 'string', (r) => r.customerProfile.name),
  field('customerProfile/size', 'string', (r) => r.customerProfile.size),
  field('customerProfile/address/country', 'string', (r) => r.customerProfile.address.country),
  field('customerProfile/address/city', 'string', (r) => r.customerProfile.address.city),
  field('details/dealValue', 'number', (r) => r.details.dealValue),
  field('details/currency', 'string', (r) => r.details.currency),
];

const MEMBER_FIELDS: Field<Member>[] = [
  field('email', 'string', (m) => m.email),
  field('firstName', 'string', (m) => m.firstName),
  field('lastName', 'string', (m) => m.lastName),
  field('phoneNumber', 'string', (m) => m.phoneNumber),
];

const COLLECTIONS: Record<string, (r: ReferralRecord) => readonly unknown[]> = {
  team: (r) => r.team,
  'customerprofile/team': (r) => r.customerProfile.team,
};

const byPath = <Scope>(fields: Field<Scope>[]) =>
  new Map(fields.map((f) => [f.name.toLowerCase(), f as Field<unknown>]));
const REFERRAL_FIELD_BY_PATH = byPath(REFERRAL_FIELDS);
const MEMBER_FIELD_BY_PATH = byPath(MEMBER_FIELDS);

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'punct'; text: '(' | ')' | '/' | ':' | ','; at: number }
  | { type: 'literal'; value: Operand; raw: string; at: number };

const LEXEMES: [RegExp, (match: string, at: number) => Token][] = [
  [
    /^'(?:[^']|'')*'/,
    (m, at) => ({ type: 'literal', value: m.slice(1, -1).replaceAll("''", "'"), raw: m, at }),
  ],
  [
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/,
    (m, at) => ({ type: 'literal', value: parseTimestamp(m) ?? null, raw: m, at }),
  ],
  [
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/,
    (m, at) => ({ type: 'literal', value: m, raw: m, at }),
  ],
  [/^-?\d+(?:\.\d+)?(?![\w.])/, (m, at) => ({ type: 'literal', value: Number(m), raw: m, at })],
  [/^[A-Za-z_][\w]*/, (m, at) => ({ type: 'word', text: m, at })],
  [/^[()/:,]/, (m, at) => ({ type: 'punct', text: m as '(' | ')' | '/' | ':' | ',', at })],
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const lexeme = LEXEMES.map(([pattern, make]) => [pattern.exec(rest), make] as const).find(([m]) => m);
    if (!lexeme?.[0]) throw new FilterSyntaxError(`Unexpected character '${rest[0]}' at position ${at}.`);
    const [[text], make] = [lexeme[0], lexeme[1]];
    const token = make(text, at);
    if (token.type === 'word' && ['true', 'false', 'null'].includes(token.text.toLowerCase())) {
      const word = token.text.toLowerCase();
      tokens.push({ type: 'literal', value: word === 'null' ? null : word === 'true', raw: text, at });
    } else {
      tokens.push(token);
    }
    at += text.length;
  }
  return tokens;
}

const COMPARISONS: readonly Comparison[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

/** Parses a `$filter` value; throws `FilterSyntaxError` with a message fit for the API's 400 answer. */
export function parseReferralFilter(source: string): FilterExpression {
  const tokens = tokenize(source);
  let position = 0;
  let lambdaVariable: string | undefined;

  const peek = (): Token | undefined => tokens[position];
  const describe = (token: Token | undefined): string =>
    token === undefined
      ? 'the end of the filter'
      : `'${token.type === 'literal' ? token.raw : token.text}' at position ${token.at}`;
  const isWord = (token: Token | undefined, word: string): boolean =>
    token?.type === 'word' && token.text.toLowerCase() === word;
  const expectPunct = (text: string): void => {
    const token = peek();
    if (token?.type !== 'punct' || token.text !== text) {
      throw new FilterSyntaxError(`Expected '${text}' but found ${describe(token)}.`);
    }
    position += 1;
  };

  const parseOr = (): FilterExpression => {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      position += 1;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterExpression => {
    let left = parseUnary();
    while (isWord(peek(), 'and')) {
      position += 1;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterExpression => {
    if (isWord(peek(), 'not')) {
      position += 1;
      return { kind: 'not', operand: parseUnary() };
    }
    const token = peek();
    if (token?.type === 'punct' && token.text === '(') {
      position += 1;
      const inner = parseOr();
      expectPunct(')');
      return inner;
    }
    return parsePathExpression();
  };

  const parsePathExpression = (): FilterExpression => {
    const segments: string[] = [];
    for (;;) {
      const token = peek();
      if (token?.type !== 'word')
        throw new FilterSyntaxError(`Expected a property but found ${describe(token)}.`);
      const next = tokens[position + 1];
      const quantifier = token.text.toLowerCase();
      if ((quantifier === 'any' || quantifier === 'all') && next?.type === 'punct' && next.text === '(') {
        position += 2;
        return parseLambda(segments, quantifier);
      }
      if (next?.type === 'punct' && next.text === '(') {
        throw new FilterSyntaxError(
          `Function '${token.text}' is not supported; use comparisons and team/any().`,
        );
      }
      segments.push(token.text);
      position += 1;
      const slash = peek();
      if (slash?.type !== 'punct' || slash.text !== '/') break;
      position += 1;
    }
    return parseComparison(segments);
  };

  const parseLambda = (segments: string[], quantifier: 'any' | 'all'): FilterExpression => {
    if (lambdaVariable !== undefined)
      throw new FilterSyntaxError('Nested lambda expressions are not supported.');
    const path = segments.join('/');
    const collection = COLLECTIONS[path.toLowerCase()];
    if (!collection) throw new FilterSyntaxError(`'${path}' is not a filterable collection; use team.`);
    const closing = peek();
    if (closing?.type === 'punct' && closing.text === ')') {
      position += 1;
      return { kind: 'lambda', quantifier, collection, body: undefined };
    }
    const variable = peek();
    if (variable?.type !== 'word')
      throw new FilterSyntaxError(`Expected a lambda variable but found ${describe(variable)}.`);
    position += 1;
    expectPunct(':');
    lambdaVariable = variable.text;
    const body = parseOr();
    lambdaVariable = undefined;
    expectPunct(')');
    return { kind: 'lambda', quantifier, collection, body };
  };

  const parseComparison = (segments: string[]): FilterExpression => {
    const resolved = resolveField(segments, lambdaVariable);
    const opToken = peek();
    const op = opToken?.type === 'word' ? (opToken.text.toLowerCase() as Comparison) : undefined;
    if (!op || !COMPARISONS.includes(op)) {
      throw new FilterSyntaxError(
        `Expected a comparison operator (eq, ne, gt, ge, lt, le) but found ${describe(opToken)}.`,
      );
    }
    position += 1;
    const literal = peek();
    if (literal?.type !== 'literal')
      throw new FilterSyntaxError(`Expected a value but found ${describe(literal)}.`);
    position += 1;
    return { kind: 'compare', field: resolved, op, value: coerceOperand(resolved, op, literal) };
  };

  const expression = parseOr();
  if (position < tokens.length) throw new FilterSyntaxError(`Unexpected ${describe(peek())}.`);
  return expression;
}

function resolveField(segments: string[], lambdaVariable: string | undefined): Field<unknown> {
  const path = segments.join('/');
  if (lambdaVariable !== undefined) {
    const [head, ...rest] = segments;
    const member =
      head === lambdaVariable ? MEMBER_FIELD_BY_PATH.get(rest.join('/').toLowerCase()) : undefined;
    if (!member) throw new FilterSyntaxError(`'${path}' is not a filterable property of ${lambdaVariable}.`);
    return member;
  }
  const found = REFERRAL_FIELD_BY_PATH.get(path.toLowerCase());
  if (!found) throw new FilterSyntaxError(`'${path}' is not a filterable referral property.`);
  return found;
}

function coerceOperand(
  target: Field<unknown>,
  op: Comparison,
  literal: Token & { type: 'literal' },
): Operand {
  const { value, raw } = literal;
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw new FilterSyntaxError(`null can only be compared with eq or ne.`);
    return null;
  }
  const mismatch = () => new FilterSyntaxError(`${raw} is not a valid value for '${target.name}'.`);
  switch (target.kind) {
    case 'enum': {
      if (op !== 'eq' && op !== 'ne')
        throw new FilterSyntaxError(`'${target.name}' supports only eq and ne.`);
      const text = typeof value === 'string' ? value.toLowerCase() : undefined;
      const match = target.values?.find((v) => v.toLowerCase() === text);
      if (match === undefined) {
        throw new FilterSyntaxError(
          `${raw} is not a valid '${target.name}'; use one of ${target.values?.join(', ')}.`,
        );
      }
      return match;
    }
    case 'datetime': {
      const ticks = typeof value === 'string' ? parseTimestamp(value) : value;
      if (typeof ticks !== 'bigint') throw mismatch();
      return ticks;
    }
    case 'number':
      if (typeof value !== 'number') throw mismatch();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch();
      return value;
    case 'string':
      if (typeof value !== 'string') throw mismatch();
      return value;
  }
}

export function matchesFilter(expression: FilterExpression, referral: ReferralRecord): boolean {
  return evaluate(expression, referral, referral);
}

function evaluate(expression: FilterExpression, referral: ReferralRecord, scope: unknown): boolean {
  switch (expression.kind) {
    case 'and':
      return evaluate(expression.left, referral, scope) && evaluate(expression.right, referral, scope);
    case 'or':
      return evaluate(expression.left, referral, scope) || evaluate(expression.right, referral, scope);
    case 'not':
      return !evaluate(expression.operand, referral, scope);
    case 'lambda': {
      const items = expression.collection(referral);
      const { body } = expression;
      if (!body) return expression.quantifier === 'any' ? items.length > 0 : true;
      const test = (item: unknown) => evaluate(body, referral, item);
      return expression.quantifier === 'any' ? items.some(test) : items.every(test);
    }
    case 'compare':
      return compare(expression.field, expression.field.get(scope), expression.op, expression.value);
  }
}

function compare(target: Field<unknown>, actual: unknown, op: Comparison, expected: Operand): boolean {
  const isMissing = actual === null || actual === undefined;
  if (expected === null) return op === 'eq' ? isMissing : !isMissing;
  if (isMissing) return op === 'ne';
  const left = normalise(target, actual);
  const right = typeof expected === 'string' ? expected.toLowerCase() : expected;
  if (left === undefined) return op === 'ne';
  switch (op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
  }
}

function normalise(target: Field<unknown>, actual: unknown): Exclude<Operand, null> | undefined {
  if (target.kind === 'datetime') return typeof actual === 'string' ? parseTimestamp(actual) : undefined;
  if (typeof actual === 'string') return actual.toLowerCase();
  if (typeof actual === 'number' || typeof actual === 'boolean') return actual;
  return undefined;
}
