import { describe, expect, it } from 'vitest';
import { checkCertificateUrl } from './certificate-url.ts';

const policy = { allowedHosts: ['3psostorageacct.blob.core.windows.net', '*.certs.example.com'] };

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
    ['a host below a wildcard entry', 'https://eu.certs.example.com/a.cer'],
    ['a host with an explicit port', 'https://3psostorageacct.blob.core.windows.net:8443/cert/a.cer'],
  ])('is allowed on %s', (_case, url) => {
    expect(checkCertificateUrl(url, policy)).toMatchObject({ ok: true });
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
      'https://3psostorageacct.blob.core.windows.net.evil.example/a.cer',
      'certificate_host_not_allowed',
    ],
    ['the bare wildcard domain', 'https://certs.example.com/a.cer', 'certificate_host_not_allowed'],
    [
      'a suffix without a dot boundary',
      'https://evilcerts.example.com/a.cer',
      'certificate_host_not_allowed',
    ],
    ['no URL at all', '3psostorageacct.blob.core.windows.net/cert/a.cer', 'certificate_url_invalid'],
  ])('is refused with %s', (_case, url, reason) => {
    expect(checkCertificateUrl(url, policy)).toMatchObject({ ok: false, reason });
  });

  it('may be plain http for AIA issuers when the policy allows it', () => {
    const issuers = { allowedHosts: ['www.microsoft.com'], allowHttp: true };
    expect(checkCertificateUrl('http://www.microsoft.com/pkiops/certs/ca.crt', issuers)).toMatchObject({
      ok: true,
    });
  });
});
