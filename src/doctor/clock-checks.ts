/**
 * This machine's clock against the remotes': every answer's `Date` header, read by wrapping the HTTP
 * clients the other checks use, so measuring costs no request of its own. A skewed clock makes Entra
 * refuse certificate assertions (AADSTS700024, ±5 min), tokens look expired, and the webhook
 * certificate's dates wrong.
 */
import { failed, passed, type SetupCheck, skipped, warned } from '../core/setup-check.ts';
import type { HttpClient } from '../net/http-client.ts';
import type { RemoteClients } from '../wiring/remote-clients.ts';

/** One answer: the remote's `Date` against the middle of our request (the header has 1 s resolution). */
export type ClockSample = { remote: string; offsetMs: number };

const WARN_MS = 60_000;
const FAIL_MS = 5 * 60_000;

/** The same clients, recording the `Date` header of every answer. */
export function observeClocks(
  clients: RemoteClients,
  now: () => number = Date.now,
): { clients: RemoteClients; samples(): ClockSample[] } {
  const samples: ClockSample[] = [];
  const observed = (http: HttpClient): HttpClient => ({
    remote: http.remote,
    pauseFor: (ms) => http.pauseFor(ms),
    close: () => http.close(),
    async send(request) {
      const sent = now();
      const response = await http.send(request);
      const date = Date.parse(response.headers.date ?? '');
      if (Number.isFinite(date)) samples.push({ remote: http.remote, offsetMs: date - (sent + now()) / 2 });
      return response;
    },
  });
  return {
    clients: {
      client: (remote, budget) => observed(clients.client(remote, budget)),
      entra: observed(clients.entra),
      extraCaPem: clients.extraCaPem,
      closeAll: () => clients.closeAll(),
    },
    samples: () => [...samples],
  };
}

export function checkClockSkew(samples: readonly ClockSample[]): SetupCheck {
  const name = 'clock';
  if (samples.length === 0) return skipped(name, 'no remote answered with a Date header');
  const worst = samples.reduce((a, b) => (Math.abs(b.offsetMs) > Math.abs(a.offsetMs) ? b : a));
  const remotes = [...new Set(samples.map((s) => s.remote))].join(', ');
  const seconds = Math.round(Math.abs(worst.offsetMs) / 1000);
  const direction = worst.offsetMs > 0 ? 'behind' : 'ahead of';
  const detail = `${seconds} s ${direction} ${worst.remote} at most (Date headers of ${remotes})`;
  const fix = "synchronise this machine's clock (NTP, e.g. `timedatectl set-ntp true`)";
  if (Math.abs(worst.offsetMs) >= FAIL_MS)
    return failed(name, `${detail}: Entra refuses assertions and tokens look expired beyond 5 minutes`, fix);
  if (Math.abs(worst.offsetMs) >= WARN_MS) return warned(name, detail, fix);
  return passed(name, `within ${Math.max(1, seconds)} s of ${remotes}`);
}
