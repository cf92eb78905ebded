/**
 * Chaos on PostgreSQL: three connector instances on one schema behind a round-robin load balancer, the
 * webhooks spread over them, each SIGKILLed once mid-run. The same run and checks as on SQLite
 * (./dynamics-chaos.ts). Skipped, saying why, without a PostgreSQL server; failed instead in CI.
 */
import { requirePostgres } from '../support/postgres.ts';
import { describeDynamicsChaos } from './dynamics-chaos.ts';

describeDynamicsChaos({ store: 'postgres', instances: 3, probe: await requirePostgres() });
