/**
 * multipart/mixed bodies (RFC 2046) as `$batch` uses them: parts separated by `--boundary` lines, each
 * with MIME headers, a blank line and a body. Writes CRLF; reads CRLF or bare LF. Pure.
 */

export type MultipartPart = {
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
};

export type OutgoingPart = { headers: ReadonlyArray<readonly [string, string]>; body: string };

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

/** The boundary parameter of a multipart/mixed Content-Type, unquoted; undefined when not multipart/mixed. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\/mixed\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

export function parseMultipart(body: string, boundary: string): MultipartPart[] {
  const lines = body.split(/\r?\n/);
  const delimiter = `--${boundary}`;
  const closing = `${delimiter}--`;
  const parts: MultipartPart[] = [];
  let current: string[] | undefined;
  let closed = false;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter || trimmed === closing) {
      if (current) parts.push(splitPart(current));
      current = trimmed === delimiter ? [] : undefined;
      if (trimmed === closing) {
        closed = true;
        break;
      }
      continue;
    }
    current?.push(line);
  }
  if (!closed)
    throw new MultipartError(`The multipart body does not end with the closing delimiter '${closing}'.`);
  return parts;
}

/** Splits header lines from the body at the first empty line. */
export function splitHeaders(lines: string[]): { headers: Record<string, string>; bodyLines: string[] } {
  const headers: Record<string, string> = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      i += 1;
      break;
    }
    const colon = line.indexOf(':');
    if (colon === -1) throw new MultipartError(`Malformed header line '${line}'.`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, bodyLines: lines.slice(i) };
}

function splitPart(lines: string[]): MultipartPart {
  const { headers, bodyLines } = splitHeaders(lines);
  return { headers, body: bodyLines.join('\r\n') };
}

export function serializeMultipart(parts: readonly OutgoingPart[], boundary: string): string {
  let out = '';
  for (const part of parts) {
    out += `--${boundary}\r\n`;
    for (const [name, value] of part.headers) out += `${name}: ${value}\r\n`;
    out += `\r\n${part.body}\r\n`;
  }
  return `${out}--${boundary}--\r\n`;
}
