import { afterAll, beforeAll, expect, test } from 'vitest';
import { type DataverseWorld, type HttpAnswer, startDataverseWorld } from './test-support.ts';

/**
 * A client written only from the public Web API documentation (create, retrieve, update, disqualify,
 * upsert by alternate key, page, batch), driven against the emulator end to end.
 */
let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld({ seed: 'documented-client' });
});
afterAll(() => world.close());

function documentedClient(call: DataverseWorld['call'], webApi: string) {
  const keySegment = (referralId: string) =>
    `leads(new_referralid='${encodeURIComponent(referralId.replaceAll("'", "''"))}')`;
  const ok = (answer: HttpAnswer, ...statuses: number[]) => {
    if (!statuses.includes(answer.status)) throw new Error(`${answer.status} ${answer.text}`);
    return answer;
  };
  return {
    /** "Create a table row": 204, the new id is in OData-EntityId. */
    async create(lead: Record<string, unknown>): Promise<string> {
      const answer = ok(await call('POST', 'leads', { body: lead }), 204);
      return /\(([0-9a-f-]{36})\)$/.exec(answer.headers['odata-entityid'] ?? '')?.[1] ?? '';
    },
    async retrieve(id: string, columns: string[]) {
      return ok(await call('GET', `leads(${id})?$select=${columns.join(',')}`), 200).json;
    },
    /** "Basic update": If-Match: * so that the PATCH cannot create a row. */
    async update(id: string, changes: Record<string, unknown>) {
      ok(await call('PATCH', `leads(${id})`, { body: changes, headers: { 'If-Match': '*' } }), 204);
    },
    async disqualify(id: string, statuscode: number) {
      await this.update(id, { statecode: 2, statuscode });
    },
    /** "Use Upsert": PATCH on the alternate key; return=representation tells created (201) from updated (200). */
    async upsert(referralId: string, lead: Record<string, unknown>) {
      const answer = ok(
        await call('PATCH', `${keySegment(referralId)}?$select=leadid`, {
          body: lead,
          headers: { Prefer: 'return=representation' },
        }),
        200,
        201,
      );
      return { created: answer.status === 201, leadid: String(answer.json.leadid) };
    },
    /** "Page results": follow @odata.nextLink with the same Prefer header until it is absent. */
    async queryAll(query: string, pageSize: number) {
      const rows: Array<Record<string, unknown>> = [];
      let url: string | undefined = `${webApi}/leads?${query}`;
      let pages = 0;
      while (url) {
        const answer = ok(
          await call('GET', url, { headers: { Prefer: `odata.maxpagesize=${pageSize}` } }),
          200,
        );
        rows.push(...(answer.json.value ?? []));
        url = answer.json['@odata.nextLink'] as string | undefined;
        pages += 1;
      }
      return { rows, pages };
    },
    /** "Execute batch operations": one change set of upserts. */
    async batchUpsert(leads: Array<{ referralId: string; lead: Record<string, unknown> }>) {
      const batch = 'batch_documented';
      const changeset = 'changeset_documented';
      const parts = leads.map(({ referralId, lead }, index) =>
        [
          `--${changeset}`,
          'Content-Type: application/http',
          'Content-Transfer-Encoding: binary',
          `Content-ID: ${index + 1}`,
          '',
          `PATCH ${webApi}/${keySegment(referralId)} HTTP/1.1`,
          'Content-Type: application/json',
          '',
          JSON.stringify(lead),
        ].join('\r\n'),
      );
      const body = [
        `--${batch}`,
        `Content-Type: multipart/mixed; boundary=${changeset}`,
        '',
        ...parts,
        `--${changeset}--`,
        '',
        `--${batch}--`,
        '',
      ].join('\r\n');
      const answer = ok(
        await call('POST', '$batch', {
          body,
          headers: { 'Content-Type': `multipart/mixed; boundary=${batch}` },
        }),
        200,
      );
      return [...answer.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    },
  };
}

test('a documented client creates, reads, updates, disqualifies, upserts, pages and batches leads as the spec says', async () => {
  const client = documentedClient(world.call, world.webApi);

  const id = await client.create({
    subject: 'Referral REF-1001',
    firstname: 'Ada',
    lastname: 'Lovelace',
    companyname: 'Analytical Ltd',
    leadsourcecode: 3,
    estimatedamount: 25000,
    estimatedclosedate: '2025-06-30',
    new_referralid: 'REF-1001',
  });
  expect(
    await client.retrieve(id, ['fullname', 'statecode', 'statuscode', 'estimatedclosedate']),
  ).toMatchObject({
    leadid: id,
    fullname: 'Ada Lovelace',
    statecode: 0,
    statuscode: 1,
    estimatedclosedate: '2025-06-30',
  });

  await client.update(id, { statecode: 0, statuscode: 2, description: 'Called the customer' });
  expect(world.state.lead(id)).toMatchObject({ statuscode: 2, description: 'Called the customer' });

  await client.disqualify(id, 6);
  expect(world.state.lead(id)).toMatchObject({ statecode: 2, statuscode: 6 });

  // A closed lead is read-only until reopened; reopening and editing in one upsert is allowed.
  await expect(client.upsert('REF-1001', { subject: 'Referral REF-1001 (again)' })).rejects.toThrow(
    /^400 .*0x80040203/,
  );
  expect(
    await client.upsert('REF-1001', { statecode: 0, statuscode: 1, subject: 'Referral REF-1001 (again)' }),
  ).toEqual({
    created: false,
    leadid: id,
  });
  expect(world.state.lead(id)).toMatchObject({
    statecode: 0,
    statuscode: 1,
    subject: 'Referral REF-1001 (again)',
  });
  const fresh = await client.upsert('REF-2002', { lastname: 'Babbage', subject: 'Referral REF-2002' });
  expect(fresh.created).toBe(true);

  const statuses = await client.batchUpsert(
    Array.from({ length: 7 }, (_, i) => ({
      referralId: `REF-3${i}`,
      lead: { lastname: `Batch ${i}`, subject: `Referral REF-3${i}` },
    })),
  );
  expect(statuses).toEqual(Array(7).fill(204));

  const { rows, pages } = await client.queryAll(
    '$select=leadid,new_referralid,statecode&$filter=new_referralid ne null&$orderby=new_referralid asc',
    4,
  );
  expect(pages).toBe(3);
  expect(rows.map((r) => r.new_referralid)).toEqual([
    'REF-1001',
    'REF-2002',
    ...Array.from({ length: 7 }, (_, i) => `REF-3${i}`),
  ]);
  expect(world.state.leads()).toHaveLength(9);
});
