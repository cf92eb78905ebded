/**
 * What a PEM file a configuration key names holds, read the way operators make such files: one or more
 * blocks, comments or `openssl x509 -text` output between them, CRLF line ends, and bundles made with
 * `cat a.pem b.pem` where `a.pem` has no final newline. OpenSSL reads that last case
 * (`-----END CERTIFICATE----------BEGIN CERTIFICATE-----`) as a bad end line and silently drops the
 * certificates from there on, so every block is taken out here and written back one per line: whoever
 * receives `pem` (a TLS context, msal, a certificate store) sees each block whole. Pure.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';

/** What a key's file must hold: CA certificates only, or one private key (with its certificates, if any). */
export type PemKind = 'certificates' | 'private-key';

export type PemContents = {
  /** Every block, each on its own lines, ending with a newline. */
  pem: string;
  certificates: X509Certificate[];
  /** The private key block alone (kind `private-key`). */
  privateKeyPem?: string;
  privateKey?: KeyObject;
};

/** Why the text cannot serve; `problem` completes "the file …", `fix` is one sentence. */
export type PemProblem = { problem: string; fix: string };

export type PemReading = ({ ok: true } & PemContents) | ({ ok: false } & PemProblem);

type Block = { label: string; body: string; position: number };

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const PRIVATE_KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

export function readPemContents(text: string, kind: PemKind): PemReading {
  const found = findBlocks(text);
  if ('problem' in found) return { ok: false, ...found };
  const { blocks } = found;
  if (blocks.length === 0) return { ok: false, ...noBlocks(text, kind) };

  const certificates: X509Certificate[] = [];
  const keys: Array<{ block: Block; key: KeyObject }> = [];
  for (const block of blocks) {
    const where = `block #${block.position} (${block.label})`;
    if (block.label === 'CERTIFICATE') {
      try {
        certificates.push(new X509Certificate(toPem(block)));
      } catch (error) {
        return {
          ok: false,
          problem: `holds a ${where} that is not a valid X.509 certificate (${reasonOf(error)})`,
          fix: 'replace that block with the certificate exported again as PEM',
        };
      }
      continue;
    }
    if (kind === 'certificates') {
      return {
        ok: false,
        problem: `holds a ${where}, where only certificates belong`,
        fix: 'keep only the -----BEGIN CERTIFICATE----- blocks in this file',
      };
    }
    if (block.label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,ENCRYPTED/m.test(block.body)) {
      return {
        ok: false,
        problem: `holds an encrypted private key (${where})`,
        fix: 'store the key unencrypted, e.g. `openssl pkey -in key.pem -out plain.pem`, and keep the file readable only by the connector',
      };
    }
    if (!PRIVATE_KEY_LABELS.has(block.label)) {
      return {
        ok: false,
        problem: `holds a ${where}, which is neither a private key nor a certificate`,
        fix: 'keep only the private key and its certificate in this file',
      };
    }
    try {
      keys.push({ block, key: createPrivateKey(toPem(block)) });
    } catch (error) {
      return {
        ok: false,
        problem: `holds a ${where} that is not a readable private key (${reasonOf(error)})`,
        fix: 'export the private key again as unencrypted PEM',
      };
    }
  }

  const pem = blocks.map(toPem).join('');
  if (kind === 'certificates') return { ok: true, pem, certificates };
  const [first, ...others] = keys;
  if (!first) {
    return {
      ok: false,
      problem: `holds ${count(certificates.length, 'certificate')} but no private key`,
      fix: 'add the private key (-----BEGIN PRIVATE KEY-----) to the file',
    };
  }
  if (others.length > 0) {
    return {
      ok: false,
      problem: `holds ${keys.length} private keys; which one to use would be a guess`,
      fix: 'keep one private key in the file',
    };
  }
  return { ok: true, pem, certificates, privateKeyPem: toPem(first.block), privateKey: first.key };
}

/** "3 certificates", "1 certificate". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function findBlocks(text: string): { blocks: Block[] } | PemProblem {
  const blocks: Block[] = [];
  const starts = new Set<number>();
  for (const match of text.matchAll(BLOCK)) {
    const [, label = '', body = '', endLabel = ''] = match;
    const position = blocks.length + 1;
    if (label !== endLabel) {
      return {
        problem: `has a block #${position} that begins as ${label} and ends as ${endLabel}`,
        fix: 'each -----BEGIN X----- needs its own -----END X----- line; check how the file was put together',
      };
    }
    const headersEnd = body.search(/\r?\n\r?\n/);
    const hasHeaders = /^\s*[A-Za-z-]+:/.test(body) && headersEnd !== -1;
    const base64 = (hasHeaders ? body.slice(headersEnd) : body).replace(/\s+/g, '');
    if (!hasHeaders && (base64 === '' || !BASE64.test(base64) || base64.length % 4 !== 0)) {
      return {
        problem: `has a block #${position} (${label}) whose content is not base64`,
        fix: 'the text between the BEGIN and END lines was changed; export the file again',
      };
    }
    starts.add(match.index);
    blocks.push({ label, body, position });
  }
  // A BEGIN line no block starts at: a block whose END line is missing or mangled.
  for (const match of text.matchAll(BEGIN)) {
    if (starts.has(match.index)) continue;
    const before = [...starts].filter((start) => start < match.index).length;
    return {
      problem: `has a block #${before + 1} (${match[1]}) without its -----END ${match[1]}----- line`,
      fix: 'the file is cut short or was edited; export it again',
    };
  }
  return { blocks };
}

function noBlocks(text: string, kind: PemKind): PemProblem {
  const wanted = kind === 'certificates' ? 'CERTIFICATE' : 'PRIVATE KEY';
  if (text.trim() === '') return { problem: 'is empty', fix: `put the PEM ${wanted.toLowerCase()} in it` };
  // DER starts with a SEQUENCE tag (0x30), which reads as "0" once decoded as UTF-8 text.
  const looksDer = text.charCodeAt(0) === 0x30 && text.includes('\uFFFD');
  return {
    problem: `holds no -----BEGIN ${wanted}----- block${looksDer ? ' (it looks like binary DER)' : ''}`,
    fix:
      kind === 'certificates'
        ? 'convert it to PEM, e.g. `openssl x509 -inform der -in ca.cer -out ca.pem`'
        : 'convert it to PEM, e.g. `openssl pkcs12 -in app.pfx -nodes -out app.pem`',
  };
}

function toPem(block: Block): string {
  const headersEnd = block.body.search(/\r?\n\r?\n/);
  const hasHeaders = /^\s*[A-Za-z-]+:/.test(block.body) && headersEnd !== -1;
  const base64 = (hasHeaders ? block.body.slice(headersEnd) : block.body).replace(/\s+/g, '');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${block.label}-----\n${lines.join('\n')}\n-----END ${block.label}-----\n`;
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // OpenSSL's "error:0680007B:asn1 encoding routines::header too long" → the readable tail.
  return message.replace(/^error:[0-9A-F]+:/, '').replace(/^[a-z0-9 ]+ routines::/i, '');
}
