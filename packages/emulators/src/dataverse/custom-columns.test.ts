import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CUSTOM_COLUMNS } from './lead-schema.ts';
import { type DataverseWorld, startDataverseWorld } from './test-support.ts';

let world: DataverseWorld;
beforeAll(async () => {
  world = await startDataverseWorld({
    customColumns: [
      ...DEFAULT_CUSTOM_COLUMNS,
      { name: 'new_dealsize', type: 'money' },
      { name: 'new_seats', type: 'integer' },
      { name: 'new_strategic', type: 'boolean' },
      { name: 'new_segment', maxLength: 10 },
    ],
  });
});
afterAll(() => world.close());

const upsert = (key: string, body: Record<string, unknown>) =>
  world.call(
    'PATCH',
    `leads(new_referralid='${key}')?$select=new_dealsize,new_seats,new_strategic,new_segment`,
    {
      body: { lastname: 'Lovelace', ...body },
      headers: { prefer: 'return=representation' },
    },
  );

describe('custom columns of every type', () => {
  test('stores a number, a whole number, a yes/no and text in the organization’s own columns', async () => {
    const answer = await upsert('REF-C1', {
      new_dealsize: 250000.5,
      new_seats: 40,
      new_strategic: true,
      new_segment: 'Mid',
    });

    expect(answer.status).toBe(201);
    expect(answer.text).toContain('"new_dealsize":250000.5000');
    expect(world.state.findByAlternateKey('REF-C1')).toMatchObject({
      new_dealsize: 250000.5,
      new_seats: 40,
      new_strategic: true,
      new_segment: 'Mid',
    });
  });

  test('refuses a value of the wrong type for a typed custom column, as the Web API does', async () => {
    const answer = await upsert('REF-C2', { new_dealsize: '250000' });

    expect(answer.status).toBe(400);
    expect(answer.json.error?.code).toBe('0x80048d19');
    expect(answer.json.error?.message).toContain("'Edm.Decimal' of property 'new_dealsize'");
    expect(world.state.findByAlternateKey('REF-C2')).toBeUndefined();
  });

  test('refuses a column the organization does not have', async () => {
    const answer = await upsert('REF-C3', { new_dealsiz: 1 });

    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toContain("The property 'new_dealsiz' does not exist");
  });

  test('still limits a custom text column to its length', async () => {
    expect((await upsert('REF-C4', { new_segment: 'Enterprise!' })).status).toBe(400);
  });
});
