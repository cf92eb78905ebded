/**
 * The HTTP clients of one command, one per remote, all trusting `tls.extraCaFile` and all closed together.
 */
import type { Config } from '../config/config-schema.ts';
import { readConfiguredPem } from '../config/read-pem-file.ts';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../net/http-client.ts';

export type RemoteClients = {
  /** A new client for `remote`; `budget` keeps its calls under the remote's limits. */
  client(remote: string, budget?: HttpClientOptions['budget']): HttpClient;
  /** The client every Entra token request goes through. */
  readonly entra: HttpClient;
  /** Extra CAs trusted for outgoing https (`tls.extraCaFile`), for other https downloads. */
  readonly extraCaPem: string | undefined;
  closeAll(): Promise<void>;
};

export function createRemoteClients(config: Config): RemoteClients {
  const extraCaPem = readConfiguredPem(config, 'tls.extraCaFile')?.pem;
  // Every client is closed with the command, so no keep-alive connection outlives it.
  const clients: HttpClient[] = [];
  const client = (remote: string, budget?: HttpClientOptions['budget']): HttpClient => {
    const created = createHttpClient({
      remote,
      ...(extraCaPem ? { extraCaPem } : {}),
      ...(budget ? { budget } : {}),
    });
    clients.push(created);
    return created;
  };
  return {
    client,
    entra: client('entra'),
    extraCaPem,
    async closeAll() {
      await Promise.allSettled(clients.map((http) => http.close()));
    },
  };
}
