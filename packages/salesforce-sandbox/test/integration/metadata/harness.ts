import { createServer } from 'node:http';
import { Connection } from 'jsforce';
import { createAutomation, type SandboxAutomation } from '../../../src/automation';
import type { SandboxClock } from '../../../src/contracts';
import { readBody } from '../../../src/http';
import { createMetadataService, type SandboxMetadataService } from '../../../src/metadata';
import { closeServer, listenOnLoopback } from '../../../src/testing';

export { type EndpointMode, OutboundEndpoint, type ReceivedPost } from '../../../src/testing';

import { FakeAuth, FakeStore, ScriptedFaults, VALID_TOKEN } from '../../unit/metadata/fakes';

export interface SandboxUnderTest {
  store: FakeStore;
  metadata: SandboxMetadataService;
  automation: SandboxAutomation;
  faults: ScriptedFaults;
  conn: Connection;
  instanceUrl: string;
  close(): Promise<void>;
}

/**
 * The Metadata API and automation behind a real HTTP listener on 127.0.0.1, reached with jsforce
 * exactly as product code reaches Salesforce (only the SOAP route is served here).
 */
export async function startSandbox(clock: SandboxClock): Promise<SandboxUnderTest> {
  const store = new FakeStore();
  const metadata = createMetadataService({ store, auth: new FakeAuth() });
  const faults = new ScriptedFaults();
  let instanceUrl = '';
  const automation = createAutomation({ store, metadata, clock, faults, instanceUrl: () => instanceUrl });
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const tooling = /^\/services\/data\/v([\d.]+)\/tooling(\/.*)$/.exec(url.pathname);
      if (tooling?.[1] && tooling[2]) {
        const raw = await readBody(request);
        const result = metadata.tooling({
          method: request.method ?? 'GET',
          path: tooling[2],
          query: url.searchParams,
          body: raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined,
          apiVersion: tooling[1],
        });
        response.writeHead(result.status, result.headers).end(result.body);
        return;
      }
      const match = /^\/services\/Soap\/m\/([\d.]+)$/.exec(url.pathname);
      if (request.method !== 'POST' || !match?.[1]) {
        response.writeHead(404).end();
        return;
      }
      const result = await metadata.handle({
        version: match[1],
        body: (await readBody(request)).toString('utf8'),
        headers: {},
      });
      response.writeHead(result.status, result.headers).end(result.body);
    })();
  });
  instanceUrl = await listenOnLoopback(server);
  const conn = new Connection({ instanceUrl, accessToken: VALID_TOKEN, version: '62.0' });
  return {
    store,
    metadata,
    automation,
    faults,
    conn,
    instanceUrl,
    close: async () => {
      automation.stop();
      await closeServer(server);
    },
  };
}

/** Waits for a condition driven by sped-up sandbox timers; fails after `limitMs` of wall time. */
export async function waitFor(condition: () => boolean, limitMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error('Condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function outboundMessage(endpointUrl: string, fields = ['Id', 'Name', 'Amount', 'StageName']) {
  // Keys in the WSDL's order: jsforce writes them in insertion order and Salesforce checks it.
  return {
    fullName: 'Opportunity.Scoro_integration',
    apiVersion: 62.0,
    endpointUrl,
    fields,
    includeSessionId: false,
    integrationUser: 'integration@example.com',
    name: 'Scoro integration',
    protected: false,
    useDeadLetterQueue: false,
  };
}

export interface FlowOptions {
  fullName?: string;
  status?: 'Active' | 'Draft';
  recordTriggerType?: 'Create' | 'Update' | 'CreateAndUpdate';
  doesRequireRecordChangedToMeetCriteria?: boolean;
  filterLogic?: string;
  filters?: Array<{ field: string; operator: string; value: Record<string, string | number | boolean> }>;
}

export function scoroFlow(options: FlowOptions = {}) {
  return {
    fullName: options.fullName ?? 'Scoro_Opportunity_Flow',
    actionCalls: [
      {
        name: 'Send_to_Scoro',
        label: 'Send to Scoro',
        locationX: 176,
        locationY: 323,
        actionName: 'Opportunity.Scoro_integration',
        actionType: 'outboundMessage',
      },
    ],
    apiVersion: 62.0,
    label: 'Scoro Opportunity Flow',
    processType: 'AutoLaunchedFlow',
    start: {
      locationX: 50,
      locationY: 0,
      connector: { targetReference: 'Send_to_Scoro' },
      doesRequireRecordChangedToMeetCriteria: options.doesRequireRecordChangedToMeetCriteria ?? true,
      filterLogic: options.filterLogic ?? 'and',
      filters: options.filters ?? [
        { field: 'StageName', operator: 'EqualTo', value: { stringValue: 'Closed Won' } },
      ],
      object: 'Opportunity',
      recordTriggerType: options.recordTriggerType ?? 'CreateAndUpdate',
      triggerType: 'RecordAfterSave',
    },
    status: options.status ?? 'Active',
  };
}

/** Deploys the outbound message, then the flow that calls it (Salesforce needs them in that order). */
export async function deployScoroAutomation(
  sandbox: SandboxUnderTest,
  endpointUrl: string,
  flow: FlowOptions = {},
  fields?: string[],
): Promise<void> {
  const message = await sandbox.conn.metadata.upsert(
    'WorkflowOutboundMessage',
    outboundMessage(endpointUrl, fields),
  );
  const saved = await sandbox.conn.metadata.upsert('Flow', scoroFlow(flow));
  if (!message.success || !saved.success) {
    throw new Error(`Deploy failed: ${JSON.stringify([message.errors, saved.errors])}`);
  }
}
