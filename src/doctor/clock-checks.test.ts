import { describe, expect, it } from 'vitest';
import type { HttpClient, HttpResponse } from '../net/http-client.ts';
import type { RemoteClients } from '../wiring/remote-clients.ts';
import { checkClockSkew, observeClocks } from './clock-checks.ts';

describe('checkClockSkew', () => {
  it('passes within a minute of every remote', () => {
    expect(
      checkClockSkew([
        { remote: 'entra', offsetMs: 800 },
        { remote: 'dataverse', offsetMs: -2_400 },
      ]),
    ).toMatchObject({ status: 'pass', detail: 'within 2 s of entra, dataverse' });
  });

  it('warns from a minute, naming the remote and the direction', () => {
    expect(checkClockSkew([{ remote: 'entra', offsetMs: 90_000 }])).toMatchObject({
      status: 'warn',
      detail: '90 s behind entra at most (Date headers of entra)',
      fix: expect.stringContaining('NTP'),
    });
  });

  it('fails from five minutes, where Entra refuses assertions', () => {
    expect(checkClockSkew([{ remote: 'dataverse', offsetMs: -400_000 }])).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^400 s ahead of dataverse at most .*beyond 5 minutes$/),
    });
  });

  it('is not checked when no answer carried a Date header', () => {
    expect(checkClockSkew([]).status).toBe('skip');
  });
});

describe('observeClocks', () => {
  it("records each answer's Date header against the middle of the request", async () => {
    let clock = Date.parse('2026-12-05T10:00:00Z');
    const answering = (date: string): HttpClient => ({
      remote: 'entra',
      pauseFor: () => {},
      close: async () => {},
      send: async () => {
        clock += 2_000; // the request takes 2 s
        return { status: 200, headers: { date }, body: Buffer.alloc(0) } as unknown as HttpResponse;
      },
    });
    const inner: RemoteClients = {
      client: () => answering('Sat, 05 Dec 2026 10:02:01 GMT'),
      entra: answering('Sat, 05 Dec 2026 10:00:01 GMT'),
      extraCaPem: undefined,
      closeAll: async () => {},
    };
    const observed = observeClocks(inner, () => clock);
    await observed.clients.entra.send({ method: 'GET', url: 'https://login.example/x' });
    expect(observed.samples()).toEqual([{ remote: 'entra', offsetMs: 0 }]);
  });
});
