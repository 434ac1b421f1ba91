/**
 * What the start-up banner of `npm start` prints (local/start.ts), read once, in one place: the
 * tests that drive the stack as a user does find its URLs, the sandbox's login and the people who
 * sign in here, and a banner that lacks a row fails with the row named.
 */
export interface Banner {
  /** `Node.js v24.21.0 (/…/node)` */
  runtime: string;
  apiUrl: string;
  consoleUrl: string;
  dynamodbUrl: string;
  sqsAndS3Url: string;
  syncQueueUrl: string;
  deadLetterQueueUrl: string;
  /** `restored N queued message(s)` of a start on a data folder, else undefined. */
  restoredMessages: number | undefined;
  sandbox: {
    loginUrl: string;
    organizationId: string;
    username: string;
    password: string;
    clientId: string;
    clientSecret: string;
  };
  /** The people under "sign in with an e-mail address and its password". */
  people: { email: string; password: string; role: string; siteId: string }[];
}

const A_URL = String.raw`(https?://\S+)`;

/** Printed once start-up is complete, after everything below. */
export const BANNER_END = /Stop with Ctrl-C/;

function row(output: string, label: string, pattern = String.raw`(\S+)`): string {
  const value = new RegExp(String.raw`^\s+${label}\s+${pattern}`, 'm').exec(output)?.[1];
  if (value === undefined) throw new Error(`the banner has no "${label}" row:\n${output}`);
  return value;
}

/** `adminToken` stands in for `$ADMIN_TOKEN`, which the banner prints instead of a token of one's own. */
export function parseBanner(output: string, adminToken = ''): Banner {
  if (!BANNER_END.test(output)) throw new Error(`start-up is not complete:\n${output}`);
  const [, username = '', password = ''] = /^\s+user\s+(\S+) \/ (\S+)/m.exec(output) ?? [];
  if (!username) throw new Error(`the banner has no "user" row:\n${output}`);
  const restored = /restored (\d+) queued message\(s\)/.exec(output)?.[1];
  return {
    runtime: row(output, 'runtime', '(Node\\.js .+)$'),
    apiUrl: row(output, 'API', A_URL),
    consoleUrl: row(output, 'console', A_URL),
    dynamodbUrl: row(output, 'DynamoDB', '(http://[^\\s,]+)'),
    sqsAndS3Url: row(output, 'SQS and S3', A_URL),
    syncQueueUrl: row(output, 'sync queue', A_URL),
    deadLetterQueueUrl: row(output, 'dead letters', A_URL),
    restoredMessages: restored === undefined ? undefined : Number(restored),
    sandbox: {
      loginUrl: row(output, 'login URL', A_URL),
      organizationId: row(output, 'organization'),
      username,
      password,
      clientId: row(output, 'connected app', 'client id (\\S+)'),
      clientSecret: row(output, '', 'client secret (\\S+)'),
    },
    people: [...output.matchAll(/(\S+@\S+)\s+(\S+)\s+(admin|user) of "([a-z0-9-]+)"/g)].map(
      ([, email = '', shown = '', role = '', siteId = '']) => ({
        email,
        password: shown === '$ADMIN_TOKEN' ? adminToken : shown,
        role,
        siteId,
      }),
    ),
  };
}
