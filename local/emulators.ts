import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import dynalite from 'dynalite';
import { serveMessageMoveTasks } from './sqs-message-moves';

/**
 * The AWS services of the local stack, each a real HTTP server on 127.0.0.1 that the real
 * AWS SDK v3 clients talk to: dynalite (DynamoDB) and fauxqs (SQS and S3).
 */
export interface Emulators {
  dynamodbEndpoint: string;
  /** fauxqs serves SQS and S3 on one port. */
  sqsEndpoint: string;
  s3Endpoint: string;
  /**
   * Puts back the queued messages and stored objects saved by the last stop (with a
   * `snapshotFile`), once the queues and buckets exist again. Returns how many were restored.
   */
  restoreSnapshot(): { messages: number; objects: number };
  /** Saves the snapshot (when there is one to save), then closes both servers. */
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Folder for DynamoDB data; in memory when undefined. */
  dataDir?: string;
  dynamodbPort?: number;
  awsPort?: number;
  /**
   * fauxqs keeps queues and buckets in memory: with this file, stop() saves their messages and
   * objects in it and the next start can restore them, so nothing queued is lost to a restart.
   */
  snapshotFile?: string;
}

/** What fauxqs's stores expose that the snapshot reads and writes. */
interface FauxqsStores {
  sqsStore: {
    listQueues(): { queues: Array<{ name: string; url: string }> };
    inspectQueue(name: string):
      | {
          url: string;
          messages: {
            ready: QueuedMessage[];
            delayed: QueuedMessage[];
            inflight: Array<{ message: QueuedMessage }>;
          };
        }
      | undefined;
    getQueue(url: string): { enqueue(message: QueuedMessage): void } | undefined;
    queuesByName: Map<string, { url: string }>;
  };
  s3Store: {
    listBuckets(): Array<{ name: string }>;
    listObjects(bucket: string, options: Record<string, unknown>): { objects: Array<{ key: string }> };
    getObject(bucket: string, key: string): StoredObject;
    putObject(
      bucket: string,
      key: string,
      body: Buffer,
      contentType: string,
      metadata: Record<string, string>,
    ): void;
    hasBucket(name: string): boolean;
  };
  /** fauxqs's own constructor of a new message (id, checksums, timestamps). */
  createMessage(body: string, attributes: Record<string, unknown>): QueuedMessage;
}

interface QueuedMessage {
  body: string;
  messageAttributes: Record<string, unknown>;
}

interface StoredObject {
  body: Buffer;
  contentType: string;
  metadata: Record<string, string>;
}

interface Snapshot {
  queues: Record<string, Array<{ body: string; messageAttributes: Record<string, unknown> }>>;
  objects: Record<
    string,
    Array<{ key: string; body: string; contentType: string; metadata: Record<string, string> }>
  >;
}

export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const dynamo = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(options.dynamodbPort ?? 0, '127.0.0.1', () => resolve());
  });
  const dynamoPort = (dynamo.address() as AddressInfo).port;

  const { app: aws, stores } = await buildFauxqs();
  await aws.listen({ port: options.awsPort ?? 0, host: '127.0.0.1' });
  const awsPort = (aws.server.address() as AddressInfo).port;
  const saved =
    options.snapshotFile && existsSync(options.snapshotFile)
      ? (JSON.parse(readFileSync(options.snapshotFile, 'utf8')) as Snapshot)
      : undefined;

  // The saved file stays until a stop replaces it: a start that fails or is killed before its
  // stop must not lose what the last stop saved. Nothing is saved before the restore has run,
  // or a stop during start-up would overwrite the saved messages with empty queues.
  let restoreDone = saved === undefined;
  return {
    dynamodbEndpoint: `http://127.0.0.1:${dynamoPort}`,
    sqsEndpoint: `http://127.0.0.1:${awsPort}`,
    s3Endpoint: `http://127.0.0.1:${awsPort}`,
    restoreSnapshot() {
      if (restoreDone || !saved) return { messages: 0, objects: 0 };
      restoreDone = true;
      return restore(stores, saved);
    },
    async stop() {
      if (options.snapshotFile && restoreDone) writeAtomically(options.snapshotFile, snapshot(stores));
      await aws.close();
      await closeServer(dynamo);
    },
  };
}

/** A crash while writing leaves the previous file whole: write beside it, then rename. */
function writeAtomically(file: string, value: unknown): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, JSON.stringify(value), { mode: 0o600 });
  renameSync(partial, file);
}

/**
 * dynalite's close waits for every open connection; a client still holding a keep-alive socket
 * (a handler abandoned at stop) would hold it for its 30 s timeout. Close, then cut what is left.
 */
function closeServer(server: ReturnType<typeof dynalite>): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    setTimeout(() => server.closeAllConnections(), 200).unref();
  });
}

/** Every message (ready, delayed and in flight) and every object, by queue and bucket name. */
function snapshot({ sqsStore, s3Store }: FauxqsStores): Snapshot {
  const queues: Snapshot['queues'] = {};
  for (const { name } of sqsStore.listQueues().queues) {
    const messages = sqsStore.inspectQueue(name)?.messages;
    if (!messages) continue;
    const all = [...messages.ready, ...messages.delayed, ...messages.inflight.map((entry) => entry.message)];
    if (all.length > 0)
      queues[name] = all.map((m) => ({ body: m.body, messageAttributes: m.messageAttributes }));
  }
  const objects: Snapshot['objects'] = {};
  for (const { name } of s3Store.listBuckets()) {
    const listed = s3Store.listObjects(name, { maxKeys: 1_000_000 }).objects;
    objects[name] = listed.map(({ key }) => {
      const object = s3Store.getObject(name, key);
      return {
        key,
        body: object.body.toString('base64'),
        contentType: object.contentType,
        metadata: object.metadata,
      };
    });
  }
  return { queues, objects };
}

/**
 * Queued again through SQS itself (receive counts start afresh, as after a redrive), objects
 * put back as they were. Queues or buckets that no longer exist are skipped.
 */
function restore(stores: FauxqsStores, saved: Snapshot): { messages: number; objects: number } {
  let messages = 0;
  let objects = 0;
  for (const [name, bodies] of Object.entries(saved.queues)) {
    const queue = stores.sqsStore.queuesByName.get(name);
    const target = queue ? stores.sqsStore.getQueue(queue.url) : undefined;
    if (!target) continue;
    for (const body of bodies) {
      target.enqueue(stores.createMessage(body.body, body.messageAttributes));
      messages++;
    }
  }
  for (const [bucket, savedObjects] of Object.entries(saved.objects)) {
    if (!stores.s3Store.hasBucket(bucket)) continue;
    for (const object of savedObjects) {
      stores.s3Store.putObject(
        bucket,
        object.key,
        Buffer.from(object.body, 'base64'),
        object.contentType,
        object.metadata,
      );
      objects++;
    }
  }
  return { messages, objects };
}

/**
 * Points every AWS SDK client created afterwards in this process at the emulators, through the
 * SDK's own service-specific endpoint variables: the production code paths stay unchanged.
 */
export function awsEnvironmentFor(emulators: Emulators): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: emulators.sqsEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
  };
}

/**
 * fauxqs ships ESM only: native dynamic imports keep this module loadable from CommonJS.
 * We listen ourselves because its start helper binds 0.0.0.0. Its SQS store is built here with
 * no host so that queue URLs carry the request's host (127.0.0.1:port): by default they name
 * sqs.<region>.localhost, which does not resolve, and the SDK sends to the queue URL's host.
 * The stores are not in the package's exports, hence the file URLs.
 */
async function buildFauxqs() {
  const root = require.resolve
    .paths('fauxqs')
    ?.map((dir) => join(dir, 'fauxqs', 'dist'))
    .find((dir) => existsSync(join(dir, 'app.js')));
  if (root === undefined) throw new Error('fauxqs is not installed');
  const load = (file: string) => import(pathToFileURL(join(root, file)).href);
  const [{ buildApp }, { SqsStore }, { SnsStore }, { S3Store }] = await Promise.all([
    import('fauxqs'),
    load('sqs/sqsStore.js'),
    load('sns/snsStore.js'),
    load('s3/s3Store.js'),
  ]);
  const sqsStore = new SqsStore();
  sqsStore.host = undefined;
  const s3Store = new S3Store();
  const app = buildApp({ logger: false, stores: { sqsStore, snsStore: new SnsStore(), s3Store } });
  serveMessageMoveTasks(app, sqsStore, (body, attributes) => SqsStore.createMessage(body, attributes));
  const stores: FauxqsStores = {
    sqsStore,
    s3Store,
    createMessage: (body, attributes) => SqsStore.createMessage(body, attributes),
  };
  return { app, stores };
}
