import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseFaultSpec } from '../control/parse-fault-spec.ts';
import { DEV_SALESFORCE } from '../credentials.ts';
import { type EmulatorWorld, startEmulators } from '../world.ts';

let world: EmulatorWorld;
let agent: Agent;
beforeAll(async () => {
  world = await startEmulators({
    seed: 'salesforce-world',
    faults: parseFaultSpec('salesforce.latencyMs=1'),
  });
  agent = new Agent({ connect: { ca: world.tlsCaPem ?? '' } });
});
afterAll(async () => {
  await world.close();
  await agent.close();
});

async function send(method: string, url: string, body?: unknown) {
  const response = await request(url, {
    method: method as 'GET',
    dispatcher: agent,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
}

describe('the Salesforce org in the emulated world', () => {
  test('sits at <origin>/salesforce, with its login host beside it and its control routes listed', async () => {
    const origin = new URL(world.urls.entra).origin;
    expect(world.urls.salesforce).toBe(`${origin}/salesforce`);
    expect(world.salesforce.loginUrl()).toBe(`${origin}/salesforce-login`);
    expect((await send('GET', world.urls.control)).json.routes).toContain('/control/salesforce/…');
    expect((await send('GET', `${world.urls.control}/salesforce/org`)).json).toMatchObject({
      dailyApiRequests: 100_000,
    });
  });

  test("takes Salesforce's own fault kinds through the control API and refuses them for other services", async () => {
    const set = await send('PUT', `${world.urls.control}/faults`, {
      salesforce: { lock: 0.5, sessionExpiry: 0.1 },
    });
    expect(set.json).toEqual({ salesforce: { lock: 0.5, sessionExpiry: 0.1 } });
    const refused = await send('PUT', `${world.urls.control}/faults`, { dataverse: { lock: 0.5 } });
    expect(refused.status).toBe(400);
    await send('PUT', `${world.urls.control}/faults`, {});
  });

  test('counts its calls with the other services, its own fault kinds included', async () => {
    const token = await request(`${world.urls.salesforce}/services/oauth2/token`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: DEV_SALESFORCE.clientId,
        client_secret: DEV_SALESFORCE.clientSecret,
      }).toString(),
    });
    expect(token.statusCode).toBe(200);
    await token.body.dump();
    const counters = (await send('GET', `${world.urls.control}/counters`)).json.salesforce;
    expect(counters).toMatchObject({
      injected: { '5xx': 0, '429': 0, lock: 0, sessionExpiry: 0 },
      byEndpoint: { 'POST /services/oauth2/token': { count: 1, byStatus: { '200': 1 } } },
    });
    const dataverse = (await send('GET', `${world.urls.control}/counters`)).json.dataverse as {
      injected: object;
    };
    expect(dataverse.injected).toEqual({ '5xx': 0, '429': 0 });
  });
});
