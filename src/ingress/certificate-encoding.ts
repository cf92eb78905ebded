import { X509Certificate } from 'node:crypto';
import { type Refusal, refuse } from './rejection-reasons.ts';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;
const DER_SEQUENCE = 0x30;

/**
 * A downloaded `.cer` as a certificate. The encoding Partner Center serves is unconfirmed (spec §5.5), so
 * DER, PEM and bare base64 text are all accepted; only the first certificate of a PEM file is used.
 */
export function parseCertificate(bytes: Buffer): { ok: true; certificate: X509Certificate } | Refusal {
  const der = bytes[0] === DER_SEQUENCE ? bytes : derFromText(bytes.toString('latin1'));
  if (!der) return refuse('certificate_malformed', 'not DER, PEM or base64');
  try {
    return { ok: true, certificate: new X509Certificate(der) };
  } catch {
    return refuse('certificate_malformed', 'not an X.509 certificate');
  }
}

function derFromText(text: string): Buffer | undefined {
  const pem = text.match(PEM_BLOCK)?.[0];
  const base64 = (pem ? pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '') : text).replace(/\s+/g, '');
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64_TEXT.test(base64)) return undefined;
  const der = Buffer.from(base64, 'base64');
  return der[0] === DER_SEQUENCE ? der : undefined;
}

/** A configuration error that names the option to fix. */
export class IngressConfigurationError extends Error {
  readonly code = 'INGRESS_CONFIGURATION';
  readonly option: string;
  constructor(option: string, problem: string) {
    super(`${option}: ${problem}`);
    this.name = 'IngressConfigurationError';
    this.option = option;
  }
}

/** Every certificate of a PEM bundle (trusted roots, intermediates), failing loudly on a bad one. */
export function parsePemBundle(pem: string, option: string): X509Certificate[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0 && pem.trim() !== '') {
    throw new IngressConfigurationError(option, 'contains no "-----BEGIN CERTIFICATE-----" block');
  }
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new IngressConfigurationError(
        option,
        `certificate #${index + 1} is not a valid X.509 certificate`,
      );
    }
  });
}
