/**
 * The SOQL subset a lead sync and jsforce's common calls use (spec B5), parsed into a small tree with
 * the position of every name so that errors can point at it the way Salesforce does (the query line, a
 * caret, "ERROR at Row:…:Column:…"):
 *
 *   SELECT field, … | COUNT()  FROM object
 *   [WHERE cond]  [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], …]  [LIMIT n]  [OFFSET n]
 *   cond:  field op value | field [NOT] IN (value, …) | field LIKE 'pattern' | NOT cond | (cond)
 *          joined by AND or by OR (mixing both on one level needs parentheses, as in SOQL)
 *   value: 'string' (backslash escapes), number, TRUE, FALSE, NULL, 2026-01-01, 2026-01-01T00:00:00Z
 *          (or ±hh:mm), TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n
 *
 * Keywords and names are case-insensitive. Anything else is MALFORMED_QUERY.
 */
import { SalesforceError } from './salesforce-error.ts';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; ms: number; text: string }
  | { kind: 'date'; ms: number; text: string }
  | { kind: 'relativeDate'; name: string; n?: number; text: string };

export type FieldRef = { name: string; position: number };
export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: FieldRef; operator: Operator; value: Literal; valuePosition: number }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[]; valuePosition: number }
  | { kind: 'like'; field: FieldRef; pattern: string; valuePosition: number };

export type OrderItem = { field: FieldRef; descending: boolean; nullsLast: boolean };

export type SoqlQuery = {
  text: string;
  select: { kind: 'fields'; fields: FieldRef[] } | { kind: 'count' };
  from: FieldRef;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: { value: number; position: number };
};

type Token =
  | { kind: 'word'; text: string; upper: string; position: number }
  | { kind: 'string'; value: string; text: string; position: number }
  | { kind: 'number'; value: number; text: string; position: number }
  | { kind: 'datetime' | 'date'; ms: number; text: string; position: number }
  | { kind: 'symbol'; text: string; position: number }
  | { kind: 'eof'; text: '<EOF>'; position: number };

const RELATIVE_DATES = new Set(['TODAY', 'YESTERDAY', 'TOMORROW']);
const RELATIVE_N_DATES = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS']);
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;

/** An error pointing at a place in the query, rendered as Salesforce renders query errors. */
export function queryError(query: string, position: number, code: string, message: string): SalesforceError {
  const before = query.slice(0, position);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = query.indexOf('\n', position);
  const line = query.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = position - lineStart + 1;
  return new SalesforceError(
    400,
    code,
    `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${message}`,
  );
}

export function parseSoql(text: string): SoqlQuery {
  const tokens = tokenize(text);
  let index = 0;
  const peek = (): Token => tokens[index] as Token;
  const next = (): Token => tokens[index++] as Token;
  const malformed = (token: Token): never => {
    throw queryError(text, token.position, 'MALFORMED_QUERY', `unexpected token: '${token.text}'`);
  };
  const isWord = (token: Token, word: string) => token.kind === 'word' && token.upper === word;
  const expectWord = (word: string) => {
    const token = next();
    if (!isWord(token, word)) malformed(token);
  };
  const expectSymbol = (symbol: string) => {
    const token = next();
    if (token.kind !== 'symbol' || token.text !== symbol) malformed(token);
  };
  const fieldRef = (): FieldRef => {
    const token = next();
    if (token.kind !== 'word') return malformed(token);
    return { name: token.text, position: token.position };
  };
  const integer = (): { value: number; position: number } => {
    const token = next();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0) return malformed(token);
    return { value: token.value, position: token.position };
  };

  const literal = (): Literal => {
    const token = next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value };
      case 'number':
        return { kind: 'number', value: token.value };
      case 'datetime':
        return { kind: 'datetime', ms: token.ms, text: token.text };
      case 'date':
        return { kind: 'date', ms: token.ms, text: token.text };
      case 'word': {
        if (token.upper === 'TRUE' || token.upper === 'FALSE')
          return { kind: 'boolean', value: token.upper === 'TRUE' };
        if (token.upper === 'NULL') return { kind: 'null' };
        if (RELATIVE_DATES.has(token.upper))
          return { kind: 'relativeDate', name: token.upper, text: token.text };
        if (RELATIVE_N_DATES.has(token.upper)) {
          expectSymbol(':');
          const n = integer();
          return { kind: 'relativeDate', name: token.upper, n: n.value, text: `${token.text}:${n.value}` };
        }
        return malformed(token);
      }
      default:
        return malformed(token);
    }
  };

  const primary = (): Condition => {
    const token = peek();
    if (token.kind === 'symbol' && token.text === '(') {
      next();
      const inner = condition();
      expectSymbol(')');
      return inner;
    }
    if (isWord(token, 'NOT')) {
      next();
      return { kind: 'not', operand: primary() };
    }
    const field = fieldRef();
    const operator = next();
    if (operator.kind === 'symbol' && ['=', '!=', '<>', '<', '<=', '>', '>='].includes(operator.text)) {
      const valuePosition = peek().position;
      const symbol = operator.text === '<>' ? '!=' : (operator.text as Operator);
      return { kind: 'compare', field, operator: symbol, value: literal(), valuePosition };
    }
    if (isWord(operator, 'LIKE')) {
      const pattern = next();
      if (pattern.kind !== 'string') return malformed(pattern);
      return { kind: 'like', field, pattern: pattern.value, valuePosition: pattern.position };
    }
    let negated = false;
    let inWord = operator;
    if (isWord(operator, 'NOT')) {
      negated = true;
      inWord = next();
    }
    if (!isWord(inWord, 'IN')) return malformed(inWord);
    expectSymbol('(');
    const valuePosition = peek().position;
    const values = [literal()];
    while (peek().kind === 'symbol' && peek().text === ',') {
      next();
      values.push(literal());
    }
    expectSymbol(')');
    return { kind: 'in', field, negated, values, valuePosition };
  };

  const condition = (): Condition => {
    const first = primary();
    const operands = [first];
    let connective: 'AND' | 'OR' | undefined;
    for (;;) {
      const token = peek();
      if (!(isWord(token, 'AND') || isWord(token, 'OR'))) break;
      const word = (token as { upper: string }).upper as 'AND' | 'OR';
      if (connective && word !== connective) malformed(token);
      connective = word;
      next();
      operands.push(primary());
    }
    if (!connective) return first;
    return { kind: connective === 'AND' ? 'and' : 'or', operands };
  };

  expectWord('SELECT');
  let select: SoqlQuery['select'];
  if (isWord(peek(), 'COUNT') && tokens[index + 1]?.text === '(') {
    next();
    expectSymbol('(');
    expectSymbol(')');
    select = { kind: 'count' };
  } else {
    const fields = [fieldRef()];
    while (peek().kind === 'symbol' && peek().text === ',') {
      next();
      fields.push(fieldRef());
    }
    select = { kind: 'fields', fields };
  }
  expectWord('FROM');
  const from = fieldRef();
  const query: SoqlQuery = { text, select, from, orderBy: [] };
  if (isWord(peek(), 'WHERE')) {
    next();
    query.where = condition();
  }
  if (isWord(peek(), 'ORDER')) {
    next();
    expectWord('BY');
    do {
      if (query.orderBy.length > 0) next();
      const field = fieldRef();
      let descending = false;
      if (isWord(peek(), 'ASC') || isWord(peek(), 'DESC'))
        descending = (next() as { upper: string }).upper === 'DESC';
      let nullsLast = descending;
      if (isWord(peek(), 'NULLS')) {
        next();
        const which = next();
        if (!(isWord(which, 'FIRST') || isWord(which, 'LAST'))) malformed(which);
        nullsLast = isWord(which, 'LAST');
      }
      query.orderBy.push({ field, descending, nullsLast });
    } while (peek().kind === 'symbol' && peek().text === ',');
  }
  if (isWord(peek(), 'LIMIT')) {
    next();
    query.limit = integer().value;
  }
  if (isWord(peek(), 'OFFSET')) {
    next();
    query.offset = integer();
  }
  if (peek().kind !== 'eof') malformed(peek());
  return query;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text.charAt(i);
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    const rest = text.slice(i);
    if (char === "'") {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text.charAt(j) !== "'"; j++) {
        if (text.charAt(j) === '\\') {
          j += 1;
          const escaped = text.charAt(j);
          const known: Record<string, string> = {
            n: '\n',
            r: '\r',
            t: '\t',
            b: '\b',
            f: '\f',
            '"': '"',
            "'": "'",
            '\\': '\\',
          };
          // \% and \_ stay escaped: they only mean something inside LIKE patterns.
          if (escaped === '%' || escaped === '_') value += `\\${escaped}`;
          else if (escaped in known) value += known[escaped];
          else
            throw queryError(
              text,
              j - 1,
              'MALFORMED_QUERY',
              `Invalid string literal '${rest.slice(0, j - i + 1)}'. Illegal character sequence '\\${escaped}' in string literal.`,
            );
        } else {
          value += text.charAt(j);
        }
      }
      if (j >= text.length) throw queryError(text, i, 'MALFORMED_QUERY', `unexpected token: '${rest}'`);
      tokens.push({ kind: 'string', value, text: text.slice(i, j + 1), position: i });
      i = j + 1;
      continue;
    }
    if (/^\d{4}-\d{2}-\d{2}T/.test(rest)) {
      const match = DATETIME.exec(rest);
      const ms = match ? Date.parse(match[0]) : Number.NaN;
      if (!match || Number.isNaN(ms)) {
        const shown = /^\S+/.exec(rest)?.[0] ?? rest;
        throw queryError(text, i, 'MALFORMED_QUERY', `unexpected token: '${shown}'`);
      }
      tokens.push({ kind: 'datetime', ms, text: match[0], position: i });
      i += match[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      const ms = Date.parse(`${date[0]}T00:00:00Z`);
      if (Number.isNaN(ms)) throw queryError(text, i, 'MALFORMED_QUERY', `unexpected token: '${date[0]}'`);
      tokens.push({ kind: 'date', ms, text: date[0], position: i });
      i += date[0].length;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), text: number[0], position: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], upper: word[0].toUpperCase(), position: i });
      i += word[0].length;
      continue;
    }
    const symbol = /^(?:!=|<>|<=|>=|[=<>(),:])/.exec(rest);
    if (symbol) {
      tokens.push({ kind: 'symbol', text: symbol[0], position: i });
      i += symbol[0].length;
      continue;
    }
    throw queryError(text, i, 'MALFORMED_QUERY', `unexpected token: '${char}'`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', position: text.length });
  return tokens;
}
