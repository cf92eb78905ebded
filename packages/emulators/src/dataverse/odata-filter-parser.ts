/**
 * Parses the OData v4 `$filter` subset Dataverse's Web API accepts for simple queries: comparisons
 * (eq ne gt ge lt le), and/or/not, parentheses, contains/startswith/endswith, and literals as the docs
 * write them — strings single-quoted with `''` escaping, GUIDs and dates bare, null, true/false, numbers.
 * Pure: text in, syntax tree out, `FilterSyntaxError` with a position otherwise.
 */

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type StringFunction = 'contains' | 'startswith' | 'endswith';

export type FilterLiteral =
  | { kind: 'literal'; type: 'string'; value: string }
  | { kind: 'literal'; type: 'number'; value: number; text: string }
  | { kind: 'literal'; type: 'boolean'; value: boolean }
  | { kind: 'literal'; type: 'null'; value: null }
  | { kind: 'literal'; type: 'guid'; value: string }
  | { kind: 'literal'; type: 'date'; value: string }
  | { kind: 'literal'; type: 'datetime'; value: string };

export type FilterProperty = { kind: 'property'; name: string };
export type FilterOperand = FilterLiteral | FilterProperty;

export type FilterExpression =
  | { kind: 'compare'; operator: ComparisonOperator; left: FilterOperand; right: FilterOperand }
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'call'; name: StringFunction; property: FilterProperty; argument: FilterLiteral };

export class FilterSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'FilterSyntaxError';
    this.position = position;
  }
}

type Token =
  | { type: 'open' | 'close' | 'comma' | 'end'; at: number }
  | { type: 'word'; text: string; at: number }
  | { type: 'literal'; literal: FilterLiteral; at: number };

const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set<string>(['contains', 'startswith', 'endswith']);

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})(?![\w:])/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\w:-])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?(?![\w.])/;
const WORD = /^[A-Za-z_][\w.]*(?:\/[A-Za-z_][\w.]*)*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch === '(' ? 'open' : ch === ')' ? 'close' : 'comma', at: i });
      i += 1;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length)
          throw new FilterSyntaxError(`Unterminated string literal at position ${start}`, start);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ type: 'literal', literal: { kind: 'literal', type: 'string', value }, at: start });
      continue;
    }
    const rest = text.slice(i);
    const literal = matchLiteral(rest);
    if (literal) {
      tokens.push({ type: 'literal', literal: literal.literal, at: i });
      i += literal.length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ type: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw new FilterSyntaxError(`Syntax error: character '${ch}' is not valid at position ${i}`, i);
  }
  tokens.push({ type: 'end', at: text.length });
  return tokens;
}

function matchLiteral(rest: string): { literal: FilterLiteral; length: number } | undefined {
  let m = GUID.exec(rest);
  if (m)
    return { literal: { kind: 'literal', type: 'guid', value: m[0].toLowerCase() }, length: m[0].length };
  m = DATETIME.exec(rest);
  if (m) return { literal: { kind: 'literal', type: 'datetime', value: m[0] }, length: m[0].length };
  m = DATE.exec(rest);
  if (m) return { literal: { kind: 'literal', type: 'date', value: m[0] }, length: m[0].length };
  m = NUMBER.exec(rest);
  if (m) {
    const text = m[0].replace(/[mMdDfFlL]$/, '');
    return { literal: { kind: 'literal', type: 'number', value: Number(text), text }, length: m[0].length };
  }
  return undefined;
}

export function parseFilter(text: string): FilterExpression {
  const tokens = tokenize(text);
  let index = 0;
  const peek = (): Token => tokens[index] as Token;
  const next = (): Token => tokens[index++] as Token;
  const fail = (token: Token): never => {
    throw new FilterSyntaxError(`Syntax error at position ${token.at} in '${text}'.`, token.at);
  };
  const isWord = (token: Token, word: string): boolean => token.type === 'word' && token.text === word;

  const parseOr = (): FilterExpression => {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterExpression => {
    let left = parseUnary();
    while (isWord(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterExpression => {
    if (isWord(peek(), 'not')) {
      next();
      return { kind: 'not', operand: parseUnary() };
    }
    return parsePrimary();
  };
  const parseOperand = (): FilterOperand => {
    const token = next();
    if (token.type === 'literal') return token.literal;
    if (token.type === 'word') {
      if (token.text === 'null') return { kind: 'literal', type: 'null', value: null };
      if (token.text === 'true' || token.text === 'false') {
        return { kind: 'literal', type: 'boolean', value: token.text === 'true' };
      }
      if (COMPARISONS.has(token.text) || token.text === 'and' || token.text === 'or') return fail(token);
      return { kind: 'property', name: token.text };
    }
    return fail(token);
  };
  const parseCall = (name: StringFunction): FilterExpression => {
    if (next().type !== 'open') fail(tokens[index - 1] as Token);
    const property = parseOperand();
    if (property.kind !== 'property') fail(tokens[index - 1] as Token);
    if (next().type !== 'comma') fail(tokens[index - 1] as Token);
    const argument = parseOperand();
    if (argument.kind !== 'literal') fail(tokens[index - 1] as Token);
    if (next().type !== 'close') fail(tokens[index - 1] as Token);
    return { kind: 'call', name, property: property as FilterProperty, argument: argument as FilterLiteral };
  };
  const parsePrimary = (): FilterExpression => {
    const token = peek();
    if (token.type === 'open') {
      next();
      const inner = parseOr();
      if (next().type !== 'close') fail(tokens[index - 1] as Token);
      return inner;
    }
    if (token.type === 'word' && FUNCTIONS.has(token.text) && tokens[index + 1]?.type === 'open') {
      next();
      return parseCall(token.text as StringFunction);
    }
    const left = parseOperand();
    const operator = next();
    if (operator.type !== 'word' || !COMPARISONS.has(operator.text)) return fail(operator);
    const right = parseOperand();
    return { kind: 'compare', operator: operator.text as ComparisonOperator, left, right };
  };

  if (peek().type === 'end') fail(peek());
  const expression = parseOr();
  if (peek().type !== 'end') fail(peek());
  return expression;
}
