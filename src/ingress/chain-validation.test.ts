import { X509Certificate } from 'node:crypto';
import { type IssuedCertificate, issueCertificate } from '@referral-connector/emulators';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildChain, caIssuersUrls, checkChainDates, checkOrganization } from './chain-validation.ts';

const DAY_MS = 86_400_000;
let root: X509Certificate;
let intermediate: X509Certificate;
let leaf: X509Certificate;
let selfSigned: X509Certificate;
let issuedLeaf: IssuedCertificate;

const parsed = (issued: IssuedCertificate) => new X509Certificate(issued.certDer);

beforeAll(async () => {
  const rootIssued = await issueCertificate({ subject: 'CN=Root, O=Microsoft Corporation', isCa: true });
  const intermediateIssued = await issueCertificate({
    subject: 'CN=Issuing CA, O=Microsoft Corporation',
    isCa: true,
    issuer: rootIssued,
    notAfter: new Date(Date.now() + 30 * DAY_MS),
  });
  issuedLeaf = await issueCertificate({
    subject: 'CN=pcnotifications-dispatch.microsoft.com, O=Microsoft Corporation, C=US',
    issuer: intermediateIssued,
    caIssuersUrl: 'http://www.microsoft.com/pkiops/certs/Issuing%20CA.crt',
  });
  selfSigned = parsed(await issueCertificate({ subject: 'CN=Self, O=Microsoft Corporation', isCa: true }));
  root = parsed(rootIssued);
  intermediate = parsed(intermediateIssued);
  leaf = parsed(issuedLeaf);
});

describe('building a chain', () => {
  it('reaches the trusted root through a known intermediate', () => {
    const search = buildChain(leaf, { roots: [selfSigned, root], intermediates: [intermediate] });
    expect(search.complete && search.chain).toEqual([leaf, intermediate, root]);
  });

  it('names the certificate whose issuer is missing', () => {
    const search = buildChain(leaf, { roots: [root], intermediates: [] });
    expect(search).toMatchObject({ complete: false, missingIssuerOf: leaf });
  });

  it('stops at a self-issued certificate nobody trusts', () => {
    const search = buildChain(selfSigned, { roots: [root], intermediates: [] });
    expect(search).toMatchObject({ complete: false, missingIssuerOf: null });
  });

  it('does not take a non-CA certificate as an issuer', () => {
    const search = buildChain(intermediate, { roots: [], intermediates: [leaf] });
    expect(search).toMatchObject({ complete: false, missingIssuerOf: intermediate });
  });

  it('accepts a leaf that is itself configured as a trust anchor', () => {
    expect(buildChain(leaf, { roots: [leaf], intermediates: [] })).toMatchObject({
      complete: true,
      chain: [leaf],
    });
  });
});

describe('chain dates', () => {
  it('pass while every certificate is valid', () => {
    expect(checkChainDates([leaf, intermediate, root], new Date())).toEqual({ ok: true });
  });

  it('fail when an intermediate has expired even though the leaf has not', () => {
    const later = new Date(Date.now() + 60 * DAY_MS);
    expect(checkChainDates([leaf, intermediate, root], later)).toEqual({
      ok: false,
      reason: 'certificate_expired',
      detail: 'Issuing CA',
    });
  });

  it('fail before the leaf is valid', () => {
    expect(checkChainDates([leaf], new Date(leaf.validFromDate.getTime() - 1))).toMatchObject({
      reason: 'certificate_not_yet_valid',
    });
  });
});

describe('the organization', () => {
  it('is Microsoft Corporation on the leaf subject', () => {
    expect(checkOrganization(leaf)).toEqual({ ok: true });
  });

  it('must match exactly', async () => {
    const lookalike = parsed(
      await issueCertificate({
        subject: 'CN=x, O=Microsoft Corporation Ltd',
        issuer: issuedLeaf,
        key: 'ec-p256',
      }),
    );
    expect(checkOrganization(lookalike)).toMatchObject({ ok: false, reason: 'certificate_organization' });
  });
});

describe('AIA caIssuers URLs', () => {
  it('are read from the certificate', () => {
    expect(caIssuersUrls(leaf)).toEqual(['http://www.microsoft.com/pkiops/certs/Issuing%20CA.crt']);
  });

  it('are empty when the certificate has none', () => {
    expect(caIssuersUrls(root)).toEqual([]);
  });
});
