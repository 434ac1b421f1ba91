import { adminRouteList } from '../shared/http/admin-routes';

/**
 * Every API Gateway route, and the function behind it: the CDK app declares exactly these, and
 * the local gateway (npm start, tests) serves exactly these, with API Gateway's precedence. No
 * CDK here, so the local stack can load it. The admin routes come from the route table.
 */
export interface GatewayRoute {
  readonly api: 'outbound' | 'admin';
  /** An HTTP method, or ANY. */
  readonly method: string;
  readonly path: string;
  readonly function: 'ack-outbound-message' | 'admin-api' | 'quote-actions';
  /** The admin authorizer (IAM or JWT) guards it; otherwise `openBecause` says why not. */
  readonly authorized: boolean;
  readonly openBecause?: string;
}

/** The path of the outbound-message route; the secret in it must never be logged. */
export const OUTBOUND_ROUTE_PATH = '/salesforce/outbound/{siteId}/{secret}';

const OPEN_BECAUSE: Record<string, string> = {
  [OUTBOUND_ROUTE_PATH]:
    'Salesforce outbound messages cannot sign requests or send tokens; the handler checks the per-site secret in the path (constant time) and the organization id, and the stage throttles the route.',
  '/salesforce/oauth/callback':
    "Salesforce redirects the admin's browser here after consent, without our credentials; the handler accepts only a single-use, expiring OAuth state it issued itself.",
  '/openapi.json':
    'The OpenAPI document describes the routes and schemas of the API and holds no data of any site; the console and clients read it before signing in.',
  '/auth/config':
    "The console reads how to sign in before it has a token: the user pool's public OAuth endpoints and the public app client id, no data of any site.",
};

export function gatewayRoutes(): GatewayRoute[] {
  const routes: GatewayRoute[] = [
    {
      api: 'outbound',
      method: 'POST',
      path: OUTBOUND_ROUTE_PATH,
      function: 'ack-outbound-message',
      authorized: false,
      openBecause: OPEN_BECAUSE[OUTBOUND_ROUTE_PATH] ?? '',
    },
  ];
  const open = (path: string, authorized: boolean) =>
    authorized ? {} : { openBecause: OPEN_BECAUSE[path] ?? `no reason recorded for ${path}` };
  const paths = new Map<string, boolean>();
  for (const route of adminRouteList) {
    const authorized = route.auth !== 'none';
    routes.push({
      api: 'admin',
      method: route.method,
      path: route.path,
      function: route.function,
      authorized,
      ...open(route.path, authorized),
    });
    paths.set(route.path, authorized);
  }
  // Another method on a known path reaches the admin API, which answers 405 with Allow.
  for (const [path, authorized] of paths) {
    routes.push({
      api: 'admin',
      method: 'ANY',
      path,
      function: 'admin-api',
      authorized,
      ...open(path, authorized),
    });
  }
  // Any other path under /sites: a 404 problem from the admin API, not the gateway's bare one.
  routes.push({
    api: 'admin',
    method: 'ANY',
    path: '/sites/{proxy+}',
    function: 'admin-api',
    authorized: true,
  });
  return routes;
}
