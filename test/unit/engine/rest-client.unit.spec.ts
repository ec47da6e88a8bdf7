/**
 * The REST client on a cluster of engine nodes: a node that refuses the connection is passed over for the
 * next, for any request; a node that took a POST and then broke the connection is not, because it may have
 * carried it out (a second node would start the instance twice). The nodes are HTTP servers on loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from '@jest/globals';

import { EngineRestClient, EngineUnavailableError } from '../../../src/engine/rest-client.js';

const credentials = { user: 'u', password: 'p' };

describe('EngineRestClient with several nodes', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  /** A node; `behave` answers or breaks each request and sees its method and path. */
  async function node(
    behave: (req: { method: string; url: string }, res: import('node:http').ServerResponse) => void,
  ): Promise<{ url: string; seen: string[] }> {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push(`${req.method} ${req.url}`);
        behave({ method: req.method!, url: req.url! }, res);
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`, seen };
  }

  /** A port nobody listens on: the connection is refused. */
  async function deadNode(): Promise<string> {
    const { url } = await node(() => {});
    const s = servers.pop()!;
    await new Promise<void>((r) => s.close(() => r()));
    return url;
  }

  const answering = () =>
    node((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'pi-1', version: '1.0.3' })),
    );

  it('sends a start to the next node when the first refuses the connection, and stays there', async () => {
    const dead = await deadNode();
    const live = await answering();
    const client = new EngineRestClient([dead, live.url], credentials);
    await expect(client.startProcess('p', 'bk', {})).resolves.toMatchObject({ id: 'pi-1' });
    await client.version();
    expect(live.seen).toEqual(['POST /engine-rest/process-definition/key/p/start', 'GET /engine-rest/version']);
    expect(client.baseUrl).toBe(live.url);
  });

  it('sends many requests failing at the same time all to the live node, none back to the dead one', async () => {
    const dead = await deadNode();
    const live = await answering();
    const client = new EngineRestClient([dead, live.url], credentials);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => client.version()));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(live.seen).toHaveLength(20);
    expect(client.baseUrl).toBe(live.url);
  });

  it('does not send a start again to another node when the first took it and broke the connection', async () => {
    const breaking = await node((_req, res) => res.socket?.destroy());
    const live = await answering();
    const client = new EngineRestClient([breaking.url, live.url], credentials);
    await expect(client.startProcess('p', 'bk', {})).rejects.toBeInstanceOf(EngineUnavailableError);
    expect(breaking.seen).toEqual(['POST /engine-rest/process-definition/key/p/start']);
    expect(live.seen).toEqual([]);
    // The next request goes to the other node; a read may be repeated anywhere.
    await expect(client.version()).resolves.toMatchObject({ version: '1.0.3' });
    expect(live.seen).toEqual(['GET /engine-rest/version']);
  });

  it('passes a read on to the next node when the first broke the connection', async () => {
    const breaking = await node((_req, res) => res.socket?.destroy());
    const live = await answering();
    const client = new EngineRestClient([breaking.url, live.url], credentials);
    await expect(client.version()).resolves.toMatchObject({ version: '1.0.3' });
    expect(breaking.seen).toEqual(['GET /engine-rest/version']);
  });
});
