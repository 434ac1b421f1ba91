import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection } from 'jsforce';
import { readBody } from './http';
import { type SalesforceSandbox, type SalesforceSandboxOptions, startSalesforceSandbox } from './server';

/**
 * For tests of code that talks to the sandbox (`@quote-sync/salesforce-sandbox/testing`): a
 * sandbox on a free port, a jsforce session on it, and a listener for the outbound messages its
 * flows send. jsforce is a peer dependency of this entry only.
 */
export const API_VERSION = '62.0';

/** A sandbox on a free port, with the demo org. */
export function startTestSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  return startSalesforceSandbox({ port: 0, ...options });
}

/** A jsforce connection configured only with the sandbox's login URL, client id and secret. */
export function newConnection(sandbox: SalesforceSandbox, extra: { redirectUri?: string } = {}): Connection {
  return new Connection({
    loginUrl: sandbox.loginUrl,
    version: API_VERSION,
    oauth2: {
      loginUrl: sandbox.loginUrl,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      ...(extra.redirectUri ? { redirectUri: extra.redirectUri } : {}),
    },
  });
}

/** Logs in with the OAuth username-password flow. */
export async function loggedIn(sandbox: SalesforceSandbox): Promise<Connection> {
  const conn = newConnection(sandbox);
  await conn.login(sandbox.username, sandbox.password);
  return conn;
}

/** Listens on a free port of 127.0.0.1 and answers the server's base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export type EndpointMode = 'ack' | 'nack' | 'http500' | 'fault';

export interface ReceivedPost {
  body: string;
  headers: IncomingMessage['headers'];
}

/** A listener for outbound messages; `modes` answers the next POSTs in turn, then `fallback`. */
export class OutboundEndpoint {
  readonly received: ReceivedPost[] = [];
  readonly modes: EndpointMode[] = [];
  fallback: EndpointMode = 'ack';
  url = '';
  private readonly server = createServer((request, response) => {
    void (async () => {
      this.received.push({ body: (await readBody(request)).toString('utf8'), headers: request.headers });
      const mode = this.modes.shift() ?? this.fallback;
      const ack = (value: boolean) =>
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
        `<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>${value}</Ack></notificationsResponse>` +
        '</soapenv:Body></soapenv:Envelope>';
      if (mode === 'http500') {
        response.writeHead(500).end('boom');
      } else if (mode === 'fault') {
        response
          .writeHead(500, { 'Content-Type': 'text/xml' })
          .end(
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>down</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
          );
      } else {
        response.writeHead(200, { 'Content-Type': 'text/xml' }).end(ack(mode === 'ack'));
      }
    })();
  });

  async start(): Promise<this> {
    this.url = `${await listenOnLoopback(this.server)}/outbound`;
    return this;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }
}
