/**
 * Chaos on the embedded store: one connector process on SQLite, killed three times, with a second
 * connection taking the store's write lock now and then. The run and its checks: ./dynamics-chaos.ts.
 */
import { describeDynamicsChaos } from './dynamics-chaos.ts';

describeDynamicsChaos({ store: 'sqlite' });
