/** s3rver behind the gate, reached over kept-alive connections shared by the proxy and the store. */
import { Agent } from 'node:http';

export interface Upstream {
  readonly hostname: string;
  readonly port: string;
  /** host:port, for a Location when the request named no Host. */
  readonly host: string;
  readonly agent: Agent;
}

export function openUpstream(endpoint: string): Upstream {
  const url = new URL(endpoint);
  return {
    hostname: url.hostname,
    port: url.port,
    host: url.host,
    agent: new Agent({ keepAlive: true, maxFreeSockets: 256, timeout: 4000 }),
  };
}
