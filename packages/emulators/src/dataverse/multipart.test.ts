import { describe, expect, test } from 'vitest';
import { parseHttpRequestMessage, serializeHttpResponseMessage } from './http-message.ts';
import { boundaryOf, MultipartError, parseMultipart, serializeMultipart } from './multipart.ts';

const CRLF = '\r\n';

describe('multipart/mixed', () => {
  test('reads the boundary from the Content-Type, quoted or not', () => {
    expect(boundaryOf('multipart/mixed; boundary=batch_7f3a')).toBe('batch_7f3a');
    expect(boundaryOf('multipart/mixed;boundary="batch 1"')).toBe('batch 1');
    expect(boundaryOf('application/json')).toBeUndefined();
  });

  test('splits parts and their MIME headers, ignoring preamble and epilogue', () => {
    const body = [
      'preamble',
      '--b1',
      'Content-Type: application/http',
      'Content-ID: 1',
      '',
      'GET leads HTTP/1.1',
      '--b1',
      'Content-Type: application/http',
      '',
      'second',
      '--b1--',
      'epilogue',
    ].join(CRLF);
    const parts = parseMultipart(body, 'b1');
    expect(parts).toEqual([
      { headers: { 'content-type': 'application/http', 'content-id': '1' }, body: 'GET leads HTTP/1.1' },
      { headers: { 'content-type': 'application/http' }, body: 'second' },
    ]);
  });

  test('accepts bare LF line ends', () => {
    const parts = parseMultipart('--b\nContent-Type: text/plain\n\nhello\n--b--\n', 'b');
    expect(parts[0]?.body).toBe('hello');
  });

  test('refuses a body without the closing delimiter', () => {
    expect(() => parseMultipart('--b\r\n\r\nx\r\n', 'b')).toThrow(MultipartError);
  });

  test('writes CRLF parts that read back the same', () => {
    const text = serializeMultipart(
      [{ headers: [['Content-Type', 'application/http']], body: 'HTTP/1.1 204 No Content\r\n\r\n' }],
      'batchresponse_1',
    );
    expect(text).toBe(
      `--batchresponse_1${CRLF}Content-Type: application/http${CRLF}${CRLF}HTTP/1.1 204 No Content${CRLF}${CRLF}${CRLF}--batchresponse_1--${CRLF}`,
    );
    expect(parseMultipart(text, 'batchresponse_1')[0]?.headers).toEqual({
      'content-type': 'application/http',
    });
  });
});

describe('HTTP messages in batch parts', () => {
  test('reads a request line whose target holds unencoded spaces, headers and a JSON body', () => {
    const message = parseHttpRequestMessage(
      [
        "PATCH https://contoso.crm4.dynamics.com/api/data/v9.2/leads?$filter=new_referralid eq 'A B' HTTP/1.1",
        'Content-Type: application/json',
        '',
        '{"subject":"x"}',
        '',
      ].join(CRLF),
    );
    expect(message).toEqual({
      method: 'PATCH',
      target: "https://contoso.crm4.dynamics.com/api/data/v9.2/leads?$filter=new_referralid eq 'A B'",
      headers: { 'content-type': 'application/json' },
      body: '{"subject":"x"}',
    });
  });

  test('writes a status line with its reason phrase', () => {
    expect(
      serializeHttpResponseMessage({ status: 412, headers: [['OData-Version', '4.0']], body: '{}' }),
    ).toBe(`HTTP/1.1 412 Precondition Failed${CRLF}OData-Version: 4.0${CRLF}${CRLF}{}`);
  });
});
