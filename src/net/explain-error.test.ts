import { describe, expect, it } from 'vitest';
import { explainMsalFailure, explainTransportFailure, shownUrl } from './explain-error.ts';

const at = (code: string, kind: 'tls' | 'connection' = 'connection', remote = 'dataverse') =>
  explainTransportFailure({
    kind,
    code,
    remote,
    url: 'https://contoso.crm4.dynamics.com/api/data/v9.2/WhoAmI',
  });

describe('explainTransportFailure', () => {
  it.each([
    [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      "contoso.crm4.dynamics.com's certificate is signed by a CA this machine does not trust",
    ],
    [
      'SELF_SIGNED_CERT_IN_CHAIN',
      "contoso.crm4.dynamics.com's certificate chain ends in a root this machine does not trust",
    ],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'contoso.crm4.dynamics.com presents a self-signed certificate'],
  ])(
    'words an untrusted certificate (%s) with the URL, and sends the reader to tls.extraCaFile',
    (code, what) => {
      const explanation = at(code, 'tls');
      expect(explanation.problem).toBe(
        `https://contoso.crm4.dynamics.com/api/data/v9.2/WhoAmI: ${what} (${code})`,
      );
      expect(explanation.fix).toContain('put that CA (PEM) in `tls.extraCaFile`');
    },
  );

  it("words a host that does not resolve, naming the remote's URL key", () => {
    expect(at('ENOTFOUND')).toEqual({
      code: 'ENOTFOUND',
      problem:
        'https://contoso.crm4.dynamics.com/api/data/v9.2/WhoAmI: the host name contoso.crm4.dynamics.com does not resolve (ENOTFOUND)',
      fix: "check `crm.dynamics.url` for a typo, and this machine's DNS or proxy settings",
    });
  });

  it('words a refused connection with host and port', () => {
    expect(at('ECONNREFUSED').problem).toContain(
      'nothing accepts connections at contoso.crm4.dynamics.com:443',
    );
  });

  it('words a timeout with its length', () => {
    const explanation = explainTransportFailure({
      kind: 'timeout',
      code: 'no answer in time',
      remote: 'referrals',
      url: 'https://api.partner.microsoft.com/v1.0/engagements/referrals',
      timeoutMs: 30_000,
    });
    expect(explanation.problem).toBe(
      'https://api.partner.microsoft.com/v1.0/engagements/referrals: no answer within 30 s',
    );
    expect(explanation.fix).toContain('`partnerCenter.referralsUrl`');
  });

  it('keeps an unknown code visible', () => {
    expect(at('EWHATEVER').problem).toContain('the connection failed (EWHATEVER)');
  });
});

describe('explainMsalFailure', () => {
  const authority = 'https://login.microsoftonline.com/8f3c2a10-5d4e-4b7a-9c21-6e0d1f2a3b4c';

  it('puts the network failure msal dropped behind its bare code', () => {
    const networkFailure = {
      url: `${authority}/v2.0/.well-known/openid-configuration`,
      explanation: at('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls', 'entra'),
    };
    expect(explainMsalFailure('endpoints_resolution_error', { authority, networkFailure })).toMatchObject({
      problem: expect.stringMatching(
        /^msal could not reach Entra ID \(endpoints_resolution_error\): https:\/\/.*UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
      ),
      fix: expect.stringContaining('tls.extraCaFile'),
    });
  });

  it('names the metadata URL and its answer when the authority refused it', () => {
    const explanation = explainMsalFailure('endpoints_resolution_error', {
      authority,
      networkFailure: { url: `${authority}/v2.0/.well-known/openid-configuration`, status: 400 },
    });
    expect(explanation?.problem).toContain(`${authority}/v2.0/.well-known/openid-configuration answered 400`);
    expect(explanation?.fix).toContain('`entra.authorityHost` and the tenant id');
  });

  it('leaves codes that are Entra answering (invalid_grant…) to the Entra classification', () => {
    expect(explainMsalFailure('invalid_grant', { authority })).toBeUndefined();
  });
});

describe('shownUrl', () => {
  it('drops the query, which may carry tokens', () => {
    expect(shownUrl('https://h.example/a/b?$deltatoken=x&sig=secret')).toBe('https://h.example/a/b');
  });
});
