import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DataverseWorld, startDataverseWorld } from './test-support.ts';

/**
 * Batches are written and read here as raw multipart text, the way the "Execute batch operations using
 * the Web API" docs show them.
 */
let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld();
});
afterAll(() => world.close());

const CRLF = '\r\n';

type Part = { contentId?: string; request: string };

function changeSet(boundary: string, parts: Part[]): string {
  const lines: string[] = [`Content-Type: multipart/mixed; boundary=${boundary}`, ''];
  for (const part of parts) {
    lines.push(`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary');
    if (part.contentId) lines.push(`Content-ID: ${part.contentId}`);
    lines.push('', part.request);
  }
  lines.push(`--${boundary}--`, '');
  return lines.join(CRLF);
}

function single(request: string): string {
  return ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', request, ''].join(CRLF);
}

function batchBody(boundary: string, parts: string[]): string {
  return `${parts.map((part) => `--${boundary}${CRLF}${part}`).join(CRLF)}${CRLF}--${boundary}--${CRLF}`;
}

function jsonRequest(method: string, url: string, body: unknown): string {
  return [`${method} ${url} HTTP/1.1`, 'Content-Type: application/json', '', JSON.stringify(body)].join(CRLF);
}

async function sendBatch(body: string, prefer?: string) {
  return world.call('POST', '$batch', {
    body,
    headers: { 'content-type': 'multipart/mixed; boundary=batch_7f3a', ...(prefer ? { prefer } : {}) },
  });
}

/** Splits a multipart response into its parts' raw text, by the boundary of its Content-Type. */
function responseParts(text: string, contentType: string | undefined): string[] {
  const boundary = /boundary=([^;\s]+)/.exec(contentType ?? '')?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  expect(text.endsWith(`--${boundary}--${CRLF}`)).toBe(true);
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => part.replace(/^\r\n/, ''));
}

function statusLines(partText: string): string[] {
  return [...partText.matchAll(/^HTTP\/1\.1 (\d{3}) [^\r\n]+\r$/gm)].map((m) => m[0].trim());
}

describe('$batch', () => {
  test('runs a change set and a GET, answering each part in a multipart/mixed CRLF response', async () => {
    const url = `${world.webApi}/leads(new_referralid='REF-B1')`;
    const body = batchBody('batch_7f3a', [
      changeSet('changeset_91c2', [
        {
          contentId: '1',
          request: jsonRequest('PATCH', url, { subject: 'Referral REF-B1', lastname: 'Lovelace' }),
        },
      ]),
      single(
        `GET ${world.webApi}/leads?$select=leadid,statuscode&$filter=new_referralid eq 'REF-B1' HTTP/1.1${CRLF}Accept: application/json${CRLF}`,
      ),
    ]);
    const answer = await sendBatch(body);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(
      /^multipart\/mixed; boundary=batchresponse_[0-9a-f-]{36}$/,
    );
    const parts = responseParts(answer.text, answer.headers['content-type']);
    expect(parts).toHaveLength(2);
    const [changeSetPart = '', getPart = ''] = parts;
    expect(changeSetPart).toMatch(
      /^Content-Type: multipart\/mixed; boundary=changesetresponse_[0-9a-f-]{36}\r\n/,
    );
    expect(changeSetPart).toContain(`Content-ID: 1${CRLF}`);
    expect(statusLines(changeSetPart)).toEqual(['HTTP/1.1 204 No Content']);
    expect(changeSetPart).toContain(`OData-EntityId: ${world.webApi}/leads(new_referralid='REF-B1')${CRLF}`);
    expect(statusLines(getPart)).toEqual(['HTTP/1.1 200 OK']);
    const json = JSON.parse(getPart.slice(getPart.indexOf('{')).trim());
    expect(json.value).toEqual([
      expect.objectContaining({ statuscode: 1, leadid: world.state.findByAlternateKey('REF-B1')?.leadid }),
    ]);
  });

  test('lets change-set parts reference an earlier one as $<Content-ID>', async () => {
    const body = batchBody('batch_7f3a', [
      changeSet('changeset_a', [
        {
          contentId: '1',
          request: jsonRequest('POST', `${world.webApi}/leads`, {
            lastname: 'Created',
            new_referralid: 'REF-B2',
          }),
        },
        { contentId: '2', request: jsonRequest('PATCH', '$1', { jobtitle: 'Referenced' }) },
      ]),
    ]);
    const answer = await sendBatch(body);
    expect(answer.status).toBe(200);
    expect(world.state.findByAlternateKey('REF-B2')).toMatchObject({
      lastname: 'Created',
      jobtitle: 'Referenced',
    });
    const [part = ''] = responseParts(answer.text, answer.headers['content-type']);
    expect(statusLines(part)).toEqual(['HTTP/1.1 204 No Content', 'HTTP/1.1 204 No Content']);
  });

  test('rolls back every operation of a failed change set and, by default, answers with the failing status and part only', async () => {
    const before = world.state.leads().length;
    const body = batchBody('batch_7f3a', [
      changeSet('changeset_b', [
        {
          contentId: '1',
          request: jsonRequest('POST', 'leads', { lastname: 'Rolled back', new_referralid: 'REF-B3' }),
        },
        { contentId: '2', request: jsonRequest('POST', 'leads', { lastname: 'x'.repeat(60) }) },
      ]),
      single(jsonRequest('POST', 'leads', { lastname: 'Never run', new_referralid: 'REF-B4' })),
    ]);
    const answer = await sendBatch(body);
    expect(answer.status).toBe(400);
    expect(world.state.leads()).toHaveLength(before);
    expect(world.state.findByAlternateKey('REF-B3')).toBeUndefined();
    expect(world.state.findByAlternateKey('REF-B4')).toBeUndefined();
    const parts = responseParts(answer.text, answer.headers['content-type']);
    expect(parts).toHaveLength(1);
    expect(statusLines(parts[0] ?? '')).toEqual(['HTTP/1.1 400 Bad Request']);
    expect(parts[0]).toMatch(/REQ_ID: [0-9a-f-]{36}\r\n/);
    expect(parts[0]).toContain('"code":"0x80044331"');
  });

  test('stops at the first failing request outside change sets, keeping what ran before it', async () => {
    const body = batchBody('batch_7f3a', [
      single(jsonRequest('POST', 'leads', { lastname: 'Kept', new_referralid: 'REF-B5' })),
      single('GET leads(00000000-0000-4000-8000-0000000000bb) HTTP/1.1'),
      single(jsonRequest('POST', 'leads', { lastname: 'Skipped', new_referralid: 'REF-B6' })),
    ]);
    const answer = await sendBatch(body);
    expect(answer.status).toBe(404);
    expect(world.state.findByAlternateKey('REF-B5')).toBeDefined();
    expect(world.state.findByAlternateKey('REF-B6')).toBeUndefined();
    const parts = responseParts(answer.text, answer.headers['content-type']);
    expect(parts.map(statusLines)).toEqual([['HTTP/1.1 404 Not Found']]);
  });

  test('answers every part under 200 with odata.continue-on-error, failures inline', async () => {
    const body = batchBody('batch_7f3a', [
      single(jsonRequest('POST', 'leads', { lastname: 'x'.repeat(60) })),
      changeSet('changeset_c', [
        {
          contentId: '1',
          request: jsonRequest('POST', 'leads', { lastname: 'In set', new_referralid: 'REF-B7' }),
        },
        {
          contentId: '2',
          request: jsonRequest('PATCH', "leads(new_referralid='REF-B7')", { statecode: 0, statuscode: 6 }),
        },
      ]),
      single(jsonRequest('POST', 'leads', { lastname: 'After', new_referralid: 'REF-B8' })),
    ]);
    const answer = await sendBatch(body, 'odata.continue-on-error');
    expect(answer.status).toBe(200);
    const parts = responseParts(answer.text, answer.headers['content-type']);
    expect(parts.map(statusLines)).toEqual([
      ['HTTP/1.1 400 Bad Request'],
      ['HTTP/1.1 400 Bad Request'],
      ['HTTP/1.1 204 No Content'],
    ]);
    expect(parts[1]).toContain('"code":"0x80048408"');
    expect(world.state.findByAlternateKey('REF-B7')).toBeUndefined();
    expect(world.state.findByAlternateKey('REF-B8')).toBeDefined();
  });

  test('refuses malformed batches as a whole', async () => {
    const getInChangeSet = batchBody('batch_7f3a', [
      changeSet('cs', [{ contentId: '1', request: 'GET leads HTTP/1.1' }]),
    ]);
    const noContentId = batchBody('batch_7f3a', [
      changeSet('cs', [{ request: jsonRequest('POST', 'leads', { lastname: 'x' }) }]),
    ]);
    const undeclared = batchBody('batch_7f3a', [
      changeSet('cs', [{ contentId: '1', request: jsonRequest('PATCH', '$9', { lastname: 'x' }) }]),
    ]);
    for (const body of [getInChangeSet, noContentId, undeclared, '--batch_7f3a\r\nno end']) {
      const answer = await sendBatch(body);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('0x80060888');
    }
    const noType = batchBody('batch_7f3a', [
      single(['POST leads HTTP/1.1', '', '{"lastname":"x"}'].join(CRLF)),
    ]);
    const missingType = await sendBatch(noType);
    expect(missingType.status).toBe(400);
    expect(missingType.text).toContain('0x80048d19');
  });

  test('refuses more than 1,000 requests in one batch', async () => {
    const parts = Array.from({ length: 1001 }, () => single('GET WhoAmI HTTP/1.1'));
    const answer = await sendBatch(batchBody('batch_7f3a', parts));
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toContain('1000');
    const fine = await sendBatch(batchBody('batch_7f3a', parts.slice(0, 1000)));
    expect(fine.status).toBe(200);
  });

  test('counts a batch as one request', async () => {
    const before = world.traffic.counters().dataverse.total;
    await sendBatch(batchBody('batch_7f3a', [single('GET WhoAmI HTTP/1.1'), single('GET WhoAmI HTTP/1.1')]));
    expect(world.traffic.counters().dataverse.total).toBe(before + 1);
  });
});
