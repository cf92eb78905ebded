/**
 * CPU time the PostgreSQL server spent for one cluster's instances: the server processes (backends)
 * serving their connections, found by the application name each instance's connections carry
 * (`referral-connector <first 8 characters of its instance id>`), read from /proc on this machine. Other
 * users of the same server (tests running beside the bench) are left out.
 */
import { readFileSync } from 'node:fs';
import { withPostgres } from './postgres-client.ts';

/** Linux reports process times in clock ticks of 1/100 s (`getconf CLK_TCK`). */
const MS_PER_TICK = 10;

/** CPU milliseconds of each backend serving the schema's registered instances now, by pid. */
export async function backendCpuMs(url: string, schema: string): Promise<Map<number, number>> {
  const pids = await withPostgres(url, async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE application_name IN (SELECT 'referral-connector ' || left(id::text, 8) FROM ${schema}.instances)`,
    );
    return rows.map((row) => row.pid);
  });
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK);
    } catch {
      // The connection closed in between, or the server runs elsewhere: not counted.
    }
  }
  return cpu;
}

/** CPU spent between two readings: backends that appeared count whole, those that ended are lost. */
export function cpuSpentMs(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}
