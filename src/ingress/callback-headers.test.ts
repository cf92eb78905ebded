import { describe, expect, it } from 'vitest';
import {
  checkMediaType,
  headersFromRaw,
  headersFromRecord,
  readCallbackCredentials,
} from './callback-headers.ts';

const SIGNATURE = Buffer.from('a signature of some bytes').toString('base64');
const genuine = {
  authorization: `Signature ${SIGNATURE}`,
  'x-ms-certificate-url':
    'https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer',
  'x-ms-signature-algorithm': 'rsa-sha256',
};

function read(record: Record<string, string | string[] | undefined>) {
  return readCallbackCredentials(headersFromRecord(record));
}

describe('callback credentials', () => {
  it('are read from Authorization: Signature', () => {
    expect(read(genuine)).toEqual({
      ok: true,
      signature: Buffer.from('a signature of some bytes'),
      certificateUrl: genuine['x-ms-certificate-url'],
      algorithm: 'rsa-sha256',
    });
  });

  it.each([
    ['bare', SIGNATURE],
    ['prefixed', `Signature ${SIGNATURE}`],
  ])('are read from x-ms-signature, %s', (_form, value) => {
    expect(read({ ...genuine, authorization: undefined, 'x-ms-signature': value })).toMatchObject({
      ok: true,
    });
  });

  it('use x-ms-signature when Authorization carries a gateway scheme', () => {
    expect(read({ ...genuine, authorization: 'Basic ZXZpbDp4', 'x-ms-signature': SIGNATURE })).toMatchObject({
      ok: true,
    });
  });

  it('accept the same signature in both headers', () => {
    expect(read({ ...genuine, 'x-ms-signature': SIGNATURE })).toMatchObject({ ok: true });
  });

  it.each([
    ['no signature header', { authorization: undefined }, 'signature_missing'],
    ['an empty signature header', { authorization: '' }, 'signature_missing'],
    ['another Authorization scheme', { authorization: `Bearer ${SIGNATURE}` }, 'signature_scheme'],
    ['an empty Signature value', { authorization: 'Signature ' }, 'signature_scheme'],
    ['a signature that is not base64', { authorization: 'Signature a-b_c' }, 'signature_malformed'],
    ['a signature of bad base64 length', { authorization: 'Signature abcde' }, 'signature_malformed'],
    [
      'two different signatures',
      { 'x-ms-signature': Buffer.from('other').toString('base64') },
      'signature_ambiguous',
    ],
    ['no certificate URL', { 'x-ms-certificate-url': undefined }, 'certificate_url_missing'],
    ['no algorithm', { 'x-ms-signature-algorithm': undefined }, 'algorithm_missing'],
    ['rsa-sha1', { 'x-ms-signature-algorithm': 'rsa-sha1' }, 'algorithm_unsupported'],
    ['hmac-sha256', { 'x-ms-signature-algorithm': 'hmac-sha256' }, 'algorithm_unsupported'],
    [
      'a duplicated algorithm',
      { 'x-ms-signature-algorithm': ['rsa-sha256', 'rsa-sha1'] },
      'header_duplicated',
    ],
  ])('are refused with %s', (_case, change, reason) => {
    expect(read({ ...genuine, ...change })).toMatchObject({ ok: false, reason });
  });

  it('keep every occurrence of a raw header, whatever its case', () => {
    const headers = headersFromRaw(['X-MS-Signature', 'a', 'x-ms-signature', 'b', 'Host', 'localhost']);
    expect(headers.get('x-ms-signature')).toEqual(['a', 'b']);
    expect(headers.get('host')).toEqual(['localhost']);
  });
});

describe('the media type', () => {
  it.each([['application/json'], ['application/json; charset=utf-8'], ['Application/JSON']])(
    'accepts %s',
    (type) => {
      expect(checkMediaType(headersFromRecord({ 'content-type': type }))).toEqual({ ok: true });
    },
  );

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/jsonp'], ['']])(
    'refuses "%s"',
    (type) => {
      expect(checkMediaType(headersFromRecord({ 'content-type': type }))).toMatchObject({
        ok: false,
        reason: 'content_type_unsupported',
      });
    },
  );
});
