import { describe, expect, it } from 'vitest';
import { classifyEntraFailure, describeCredentialFix } from './classify-entra-failure.ts';
import { credentialKeysAt } from './credential-keys.ts';

/** The shape msal-node gives a token endpoint error (ServerError). */
const serverError = (errorCode: string, errorNo: number | undefined, description = '') =>
  Object.assign(new Error(description), {
    errorCode,
    errorNo,
    errorMessage: `Error(s): ${errorNo ?? ''} - Description: ${description}`,
  });

describe('what a failed Entra token request means', () => {
  it.each([
    [7000215, 'invalid_client', 'secret'],
    [7000222, 'invalid_client', 'secret'],
    [7000218, 'invalid_client', 'credential'],
    [700027, 'invalid_client', 'certificate'],
    [700021, 'invalid_client', 'certificate'],
    [700024, 'invalid_client', 'certificate'],
    [700016, 'unauthorized_client', 'app'],
    [90002, 'invalid_request', 'tenant'],
  ])('AADSTS%i (%s) is a refused credential: fix the %s', (code, errorCode, fix) => {
    expect(classifyEntraFailure(serverError(errorCode, code))).toEqual({
      kind: 'credential_rejected',
      fix,
      entraCode: code,
    });
  });

  it('reads the AADSTS number from the description when msal gives no errorNo', () => {
    const error = serverError('invalid_client', undefined, 'AADSTS7000215: Invalid client secret provided.');
    expect(classifyEntraFailure(error)).toMatchObject({ fix: 'secret', entraCode: 7000215 });
  });

  it('treats an unlisted invalid_client code as a refused credential', () => {
    expect(classifyEntraFailure(serverError('invalid_client', 7000112))).toMatchObject({
      kind: 'credential_rejected',
      fix: 'credential',
    });
  });

  it('asks for a new sign-in when the refresh token is refused', () => {
    expect(classifyEntraFailure(serverError('invalid_grant', 700082))).toEqual({
      kind: 'login_required',
      errorCode: 'invalid_grant',
    });
  });

  it.each([
    ['throttling', serverError('temporarily_unavailable', 90055)],
    ['an unknown resource', serverError('invalid_resource', 500011)],
    ['a network failure', Object.assign(new Error('socket hang up'), { errorCode: 'network_error' })],
    ['anything else', new Error('boom')],
  ])('retries %s', (_case, error) => {
    expect(classifyEntraFailure(error)).toEqual({ kind: 'transient' });
  });

  it('names the configuration keys of the credential to fix', () => {
    const keys = credentialKeysAt('crm.dynamics');
    expect(describeCredentialFix({ fix: 'secret', entraCode: 7000215 }, keys, 'confidential')).toEqual({
      configKeys: ['crm.dynamics.clientSecret'],
      advice: expect.stringContaining('crm.dynamics.clientSecret'),
    });
    expect(describeCredentialFix({ fix: 'credential', entraCode: 7000218 }, keys, 'public').advice).toContain(
      'Allow public client flows',
    );
  });
});
