import type { FastifyPluginAsync } from 'fastify';
import type { AccessTokens } from './access-tokens.ts';
import type { Random } from './random.ts';
import type { Traffic } from './traffic.ts';

/** What every emulated service is given by the world that hosts it. */
export type EmulatorContext = {
  traffic: Traffic;
  /** Mints (Entra) and checks (resource servers) access tokens. */
  tokens: AccessTokens;
  /** Seeded; each service forks its own stream. */
  random: Random;
  now: () => number;
  /** scheme://host:port of the world, e.g. "https://localhost:49152"; known once it listens. */
  origin: () => string;
};

/**
 * One emulated remote: its documented routes, mounted under `prefix`, its own control routes, mounted
 * under `/control/<name>`, and its state for in-process tests.
 */
export type EmulatedService<State> = {
  name: string;
  prefix: string;
  routes: FastifyPluginAsync;
  control?: FastifyPluginAsync;
  state: State;
  close?: () => Promise<void>;
};
