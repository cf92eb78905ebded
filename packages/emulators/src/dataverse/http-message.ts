/**
 * HTTP/1.1 messages as text inside `application/http` parts of a `$batch`: a request line, headers,
 * a blank line and a body going in; a status line, headers and a body coming out. Pure.
 */
import { MultipartError, splitHeaders } from './multipart.ts';

export type HttpRequestMessage = {
  method: string;
  /** The request target as written: absolute URL, absolute path, or relative (`leads(…)`, `$1`). */
  target: string;
  headers: Record<string, string>;
  body: string;
};

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

export function parseHttpRequestMessage(text: string): HttpRequestMessage {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  const requestLine = lines.shift() ?? '';
  // Targets may hold unencoded spaces (the docs' own $filter examples do), so the version ends the line.
  const match = /^([A-Z]+)\s+(.+?)(?:\s+HTTP\/1\.[01])?\s*$/.exec(requestLine);
  if (!match?.[1] || !match[2]) throw new MultipartError(`Malformed request line '${requestLine}'.`);
  const { headers, bodyLines } = splitHeaders(lines);
  const body = bodyLines.join('\r\n').replace(/(\r\n)+$/, '');
  return { method: match[1], target: match[2], headers, body };
}

export function serializeHttpResponseMessage(response: {
  status: number;
  headers: ReadonlyArray<readonly [string, string]>;
  body?: string;
}): string {
  let out = `HTTP/1.1 ${response.status} ${reasonPhrase(response.status)}\r\n`;
  for (const [name, value] of response.headers) out += `${name}: ${value}\r\n`;
  out += '\r\n';
  if (response.body) out += response.body;
  return out;
}
