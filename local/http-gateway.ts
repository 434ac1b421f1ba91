import { isUtf8 } from 'node:buffer';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context';

/**
 * A local stand-in for API Gateway's HTTP API: it matches routes, builds the same payload-2.0
 * event the deployed stack delivers, calls the handler in-process and writes its result back.
 * Like the real gateway, it never logs request paths: ours carry webhook secrets.
 */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

export interface Route {
  method: string;
  /** API Gateway route syntax: /sites/{siteId}/x or a greedy /sites/{proxy+}. */
  path: string;
  handler: () => HttpHandler;
  timeoutMs?: number;
  /** Answered before the stack is ready (Salesforce's outbound messages: queuing needs no more). */
  servedWhileStarting?: boolean;
  /** Behind the JWT authorizer in AWS: a bearer JWT is checked here, as API Gateway checks it. */
  authorized?: boolean;
}

/** A request the gateway answers itself, outside the routes (the local sign-in). */
export interface LocalRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface LocalResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Answers what it serves; undefined passes the request on. */
export type LocalMount = (request: LocalRequest) => Promise<LocalResponse | undefined>;

/** HTTP API's payload limit. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * What a client may take of the gateway. HTTP API's quotas fix the size of the request line and
 * headers (10,240 bytes) and the integration's 30 s; they say nothing of how long API Gateway waits
 * for a slow client, only that it never hands a handler an unfinished request. So a client gets
 * 10 s for its request line and headers and the integration's 30 s for the whole request, and a
 * connection that holds either open longer is answered 408 and closed: without these, one client
 * that never finishes its headers holds a connection (and its memory) for as long as it likes.
 */
export interface GatewayLimits {
  /** The request line and every header, in bytes. */
  maxHeaderBytes: number;
  /** From the connection's first byte (or the previous request's end) to the end of the headers. */
  headersTimeoutMs: number;
  /** From the first byte to the end of the body. */
  requestTimeoutMs: number;
}

export const API_GATEWAY_LIMITS: GatewayLimits = {
  maxHeaderBytes: 10_240,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};
const TEXT_TYPES = /^(text\/|application\/(json|xml|soap\+xml|x-www-form-urlencoded|javascript))/i;

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
  routeKey: string;
}

/**
 * API Gateway's precedence: a route without a greedy variable before one with it, more literal
 * segments before fewer (segment by segment from the left), a method before ANY.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation
 */
function precedence(a: CompiledRoute, b: CompiledRoute): number {
  const greedy = (route: CompiledRoute) => (route.path.includes('+}') ? 1 : 0);
  if (greedy(a) !== greedy(b)) return greedy(a) - greedy(b);
  const segmentsA = a.path.split('/');
  const segmentsB = b.path.split('/');
  for (let i = 0; i < Math.min(segmentsA.length, segmentsB.length); i++) {
    const literal = (segment: string | undefined) => (segment?.startsWith('{') ? 1 : 0);
    const order = literal(segmentsA[i]) - literal(segmentsB[i]);
    if (order !== 0) return order;
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

/** Decodes a path as API Gateway does before routing; undefined when its percent-encoding is malformed. */
function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1] ?? '');
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), names, routeKey: `${route.method} ${route.path}` };
}

/** What `GET /health` says; anything but `ok` answers 503. */
export interface Readiness {
  status: 'starting' | 'ok' | 'stopping';
  /** While starting: the step in progress. */
  step?: string;
}

export interface GatewayOptions {
  port: number;
  routes: Route[];
  /**
   * `GET /health`. Until it says `ok`, routes not `servedWhileStarting` answer 503, so nobody
   * sees a half-provisioned site, except requests that carry `startupKey` (the start-up's own).
   */
  readiness?: () => Readiness;
  /** The value of the `x-local-startup-key` header that passes while the stack is not ready. */
  startupKey?: string;
  /**
   * API Gateway's JWT authorizer: the claims of a valid token, undefined for an invalid one
   * (401, as API Gateway answers). Bearer values that are not JWTs pass on (the local admin
   * token, which the handlers check).
   */
  verifyJwt?: (token: string) => Promise<Record<string, string> | undefined>;
  /** Served before the routes: the local sign-in. */
  mounts?: LocalMount[];
  /** Answers GET and HEAD requests that no route takes: the console's files (CloudFront's default behaviour). */
  fallback?: LocalMount;
  /** Sent with every answer, as CloudFront's response headers policy adds them. */
  responseHeaders?: Record<string, string>;
  log?: (line: Record<string, unknown>) => void;
  /** API_GATEWAY_LIMITS unless given; tests shorten the timeouts. */
  limits?: Partial<GatewayLimits>;
}

export const STARTUP_KEY_HEADER = 'x-local-startup-key';

export interface Gateway {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

export async function startHttpGateway(options: GatewayOptions): Promise<Gateway> {
  const match = routeMatcher(options.routes);
  const log = options.log ?? (() => undefined);

  const limits = { ...API_GATEWAY_LIMITS, ...options.limits };
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node looks for expired requests at this interval (30 s by default, longer than the limits).
      connectionsCheckingInterval: Math.max(50, Math.floor(limits.headersTimeoutMs / 4)),
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        log({ level: 'ERROR', message: 'gateway failure', error: String(error) });
        if (!res.headersSent)
          send(res, 500, { 'content-type': 'application/json' }, '{"message":"Internal Server Error"}');
      });
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => refuseClient(error, socket, limits));

  const startupKey = options.startupKey ? Buffer.from(options.startupKey) : undefined;
  const isStartup = (req: IncomingMessage) => {
    const given = req.headers[STARTUP_KEY_HEADER];
    if (!startupKey || typeof given !== 'string') return false;
    const bytes = Buffer.from(given);
    return bytes.length === startupKey.length && timingSafeEqual(bytes, startupKey);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const readiness = options.readiness?.() ?? { status: 'ok' };
    for (const [name, value] of Object.entries(options.responseHeaders ?? {})) res.setHeader(name, value);
    if (method === 'GET' && url.pathname === '/health') {
      return send(
        res,
        readiness.status === 'ok' ? 200 : 503,
        { 'content-type': 'application/json', 'cache-control': 'no-store' },
        JSON.stringify(readiness),
      );
    }

    const requestId = randomUUID();
    const path = decodePath(url.pathname);
    // API Gateway refuses a malformed percent-encoding itself, before any route or handler.
    if (path === undefined) {
      return send(res, 400, gatewayHeaders(requestId), '{"message":"Bad Request"}');
    }
    // The body is read once, by whoever needs it first.
    let reading: Promise<Buffer | 'aborted' | undefined> | undefined;
    const requestBody = () => {
      reading ??= readBody(req);
      return reading;
    };
    const local = async (mount: LocalMount | undefined) => {
      if (!mount) return false;
      const body = await requestBody();
      if (body === 'aborted') return true;
      const answer = body && (await mount({ method, url, headers: req.headers, body }));
      if (answer) send(res, answer.status, answer.headers, method === 'HEAD' ? '' : answer.body);
      return answer !== undefined;
    };
    for (const mount of options.mounts ?? []) if (await local(mount)) return;
    const matched = match(method, url.pathname);
    if (!matched) {
      if ((method === 'GET' || method === 'HEAD') && (await local(options.fallback))) return;
      return send(res, 404, gatewayHeaders(requestId), '{"message":"Not Found"}');
    }
    if (readiness.status !== 'ok' && !matched.route.servedWhileStarting && !isStartup(req)) {
      return send(
        res,
        503,
        { ...gatewayHeaders(requestId), 'retry-after': '1' },
        JSON.stringify({
          message:
            readiness.status === 'starting'
              ? 'The local stack is starting; GET /health answers 200 once it is ready'
              : 'The local stack is stopping',
        }),
      );
    }

    let claims: Record<string, string> | undefined;
    const bearer = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (matched.route.authorized && options.verifyJwt && bearer) {
      claims = await options.verifyJwt(bearer);
      if (!claims) return send(res, 401, gatewayHeaders(requestId), '{"message":"Unauthorized"}');
    }
    const body = await requestBody();
    // The client went away, or took longer than the limits (answered 408 in refuseClient).
    if (body === 'aborted') return;
    if (body === undefined) {
      res.setHeader('connection', 'close');
      return send(
        res,
        413,
        gatewayHeaders(requestId),
        JSON.stringify({ message: `Request Entity Too Large: the body exceeds ${MAX_PAYLOAD_BYTES} bytes` }),
      );
    }
    const event = toEvent(req, url, path, requestId, matched.route, matched.params, body, claims);
    const result = await matched.route.handler()(
      event,
      lambdaContext(matched.route.routeKey, matched.route.timeoutMs),
    );
    writeResult(res, result, requestId);
    log({
      level: 'INFO',
      message: 'request',
      routeKey: matched.route.routeKey,
      status: res.statusCode,
      ms: Date.now() - started,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The route API Gateway picks for a request (path still percent-encoded), and its decoded path
 * parameters. Tests that call handlers directly build their events with it too.
 */
export function routeMatcher(routes: readonly Route[]) {
  const compiled = routes.map(compile).sort(precedence);
  return (method: string, path: string) => matchRoute(compiled, method, path);
}

function matchRoute(routes: CompiledRoute[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(found[i + 1] ?? '');
    });
    return { route, params };
  }
  return undefined;
}

/** The whole body; undefined past the payload limit; 'aborted' when the request never completed. */
async function readBody(req: IncomingMessage): Promise<Buffer | 'aborted' | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_PAYLOAD_BYTES) {
        // The rest is read and dropped, so the client is still there to read the 413.
        req.resume();
        return undefined;
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    return 'aborted';
  }
  return req.complete ? Buffer.concat(chunks) : 'aborted';
}

/** Node's names for what a client got wrong before a request reached the routes. */
function clientRefusal(code: string | undefined, limits: GatewayLimits): { status: number; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        message: `Request Header Fields Too Large: the request line and headers exceed ${limits.maxHeaderBytes} bytes`,
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        message: `Request Timeout: the headers must arrive within ${limits.headersTimeoutMs} ms and the whole request within ${limits.requestTimeoutMs} ms`,
      };
    default:
      return {
        status: 400,
        message: `Bad Request: the request is not valid HTTP/1.1 (${code ?? 'unknown'})`,
      };
  }
}

/** Answers (when nothing was answered on this connection yet) and closes, as Node itself would. */
function refuseClient(error: NodeJS.ErrnoException, socket: Duplex, limits: GatewayLimits) {
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const { status, message } = clientRefusal(error.code, limits);
    const body = JSON.stringify({ message });
    return socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** API Gateway names its request id in every answer. */
function gatewayHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'application/json', 'apigw-requestid': requestId };
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  /** Decoded, as HTTP APIs deliver `rawPath`. */
  path: string,
  requestId: string,
  route: CompiledRoute,
  params: Record<string, string>,
  body: Buffer,
  claims?: Record<string, string>,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    // The start-up key is the gateway's own business; API Gateway would not pass such a header on.
    if (value !== undefined && name !== STARTUP_KEY_HEADER)
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams)
    query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  // Bytes that are no UTF-8 go base64-encoded, as a binary body does: decoding them would put
  // U+FFFD where they were, and the handler could not tell what came.
  const isText = TEXT_TYPES.test(headers['content-type'] ?? 'text/plain') && isUtf8(body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: path,
    rawQueryString: url.search.slice(1),
    headers,
    ...(headers.cookie ? { cookies: headers.cookie.split('; ') } : {}),
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.names.length > 0 ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      ...(claims
        ? { authorizer: { jwt: { claims, scopes: claims.scope ? claims.scope.split(' ') : [] } } }
        : {}),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** API Gateway's rules for payload 2.0 results: a bare string or object is a 200 JSON body. */
function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2, requestId: string) {
  if (typeof result === 'string' || result === undefined || !('statusCode' in result)) {
    return send(
      res,
      200,
      gatewayHeaders(requestId),
      typeof result === 'string' ? result : JSON.stringify(result),
    );
  }
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body ?? '';
  send(res, result.statusCode ?? 200, headers, result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: string | Buffer,
) {
  res.writeHead(status, headers);
  res.end(body);
}
