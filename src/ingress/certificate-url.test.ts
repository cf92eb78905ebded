import { describe, expect, it } from 'vitest';
import { checkCertificateUrl, PARTNER_CENTER_CERTIFICATE_PATH } from './certificate-url.ts';

const policy = {
  allowedHosts: ['3psostorageacct.blob.core.windows.net', '*.certs.example.com', 'localhost:8443'],
  path: PARTNER_CENTER_CERTIFICATE_PATH,
};
const DOCUMENTED =
  'https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer';

describe('a certificate URL', () => {
  it.each([
    [
      'the documented host',
      'https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer',
    ],
    [
      'the documented host in upper case with a trailing dot',
      'https://3PSOSTORAGEACCT.blob.core.windows.net./cert/a.cer',
    ],
    [
      'the 2018 file name',
      'https://3psostorageacct.blob.core.windows.net/cert/pcnotifications.microsoft.com.cer',
    ],
    ['a host below a wildcard entry', 'https://eu.certs.example.com/cert/a.cer'],
    ['the default port written out', 'https://3psostorageacct.blob.core.windows.net:443/cert/a.cer'],
    ['the port an allow-list entry names', 'https://localhost:8443/cert/a.cer'],
  ])('is allowed on %s', (_case, url) => {
    expect(checkCertificateUrl(url, policy)).toMatchObject({ ok: true });
  });

  it('has one spelling, which the cache keys on', () => {
    for (const spelling of [
      DOCUMENTED,
      'https://3PSOSTORAGEACCT.Blob.Core.Windows.Net./cert/pcnotifications-dispatch.microsoft.com.cer',
      'https://3psostorageacct.blob.core.windows.net:443/cert/pcnotifications-dispatch.microsoft.com.cer',
      'https://3psostorageacct.blob.core.windows.net/cert/./pcnotifications-dispatch.microsoft.com.cer',
    ]) {
      const checked = checkCertificateUrl(spelling, policy);
      expect(checked.ok && checked.url.href, spelling).toBe(DOCUMENTED);
    }
  });

  it.each([
    ['plain http', 'http://3psostorageacct.blob.core.windows.net/cert/a.cer', 'certificate_url_not_https'],
    ['a file URL', 'file:///etc/passwd', 'certificate_url_not_https'],
    ['userinfo', 'https://user@3psostorageacct.blob.core.windows.net/cert/a.cer', 'certificate_url_userinfo'],
    ['an IPv4 literal', 'https://20.60.1.2/cert/a.cer', 'certificate_url_ip_literal'],
    ['an IPv4 literal in hex', 'https://0x7f.1/cert/a.cer', 'certificate_url_ip_literal'],
    ['an IPv6 literal', 'https://[::1]/cert/a.cer', 'certificate_url_ip_literal'],
    ['an unknown host', 'https://example.com/cert/a.cer', 'certificate_host_not_allowed'],
    [
      'a look-alike suffix',
      'https://3psostorageacct.blob.core.windows.net.evil.example/cert/a.cer',
      'certificate_host_not_allowed',
    ],
    ['the bare wildcard domain', 'https://certs.example.com/cert/a.cer', 'certificate_host_not_allowed'],
    [
      'a suffix without a dot boundary',
      'https://evilcerts.example.com/cert/a.cer',
      'certificate_host_not_allowed',
    ],
    ['no URL at all', '3psostorageacct.blob.core.windows.net/cert/a.cer', 'certificate_url_invalid'],
    ['a query string', `${DOCUMENTED}?1`, 'certificate_url_query'],
    ['an empty query', `${DOCUMENTED}?`, 'certificate_url_query'],
    ['a fragment', `${DOCUMENTED}#1`, 'certificate_url_query'],
    ['an empty fragment', `${DOCUMENTED}#`, 'certificate_url_query'],
    [
      'a port no entry names',
      'https://3psostorageacct.blob.core.windows.net:8443/cert/a.cer',
      'certificate_url_port',
    ],
    ['another port on a host with a port entry', 'https://localhost/cert/a.cer', 'certificate_url_port'],
    [
      'a path outside /cert/',
      'https://3psostorageacct.blob.core.windows.net/other/a.cer',
      'certificate_url_path',
    ],
    ['a nested path', 'https://3psostorageacct.blob.core.windows.net/cert/x/a.cer', 'certificate_url_path'],
    ['another extension', 'https://3psostorageacct.blob.core.windows.net/cert/a.crt', 'certificate_url_path'],
    [
      'a percent-escape',
      'https://3psostorageacct.blob.core.windows.net/cert/%61.cer',
      'certificate_url_path',
    ],
    [
      'a dot-segment climb',
      'https://3psostorageacct.blob.core.windows.net/cert/../a.cer',
      'certificate_url_path',
    ],
    ['the bare directory', 'https://3psostorageacct.blob.core.windows.net/cert/', 'certificate_url_path'],
  ])('is refused with %s', (_case, url, reason) => {
    expect(checkCertificateUrl(url, policy)).toMatchObject({ ok: false, reason });
  });

  it('may be plain http, on any path, for AIA issuers when the policy allows it', () => {
    const issuers = { allowedHosts: ['www.microsoft.com'], allowHttp: true };
    const url = 'http://www.microsoft.com/pkiops/certs/Microsoft%20Azure%20RSA%20TLS%20Issuing%20CA%2004.crt';
    expect(checkCertificateUrl(url, issuers)).toMatchObject({ ok: true });
    expect(checkCertificateUrl('http://www.microsoft.com:8080/pkiops/ca.crt', issuers)).toMatchObject({
      ok: false,
      reason: 'certificate_url_port',
    });
  });
});
