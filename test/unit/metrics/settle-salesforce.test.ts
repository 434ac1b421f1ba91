import middy from '@middy/core';
import type { ApiUsage } from '../../../shared/adapters/salesforce/connected-orgs';
import { settleSalesforce } from '../../../shared/middleware/settle-salesforce';
import type { MetricsRecorder } from '../../../shared/ports/metrics';

/** A request that called Salesforce and then failed still stores and reports what it spent. */
function orgs() {
  const events: string[] = [];
  return {
    events,
    takeUsage: () => {
      events.push('take');
      return new Map<string, ApiUsage>([['acme', { calls: 1, used: 12_751, limit: 15_000 }]]);
    },
    settle: async () => {
      events.push('settle');
    },
  };
}

function metrics() {
  const perSite: string[] = [];
  const recorder: MetricsRecorder = {
    count: () => undefined,
    milliseconds: () => undefined,
    perSite: (name) => perSite.push(name),
  };
  return { recorder, perSite };
}

test.each([
  ['answered', async () => 'ok'],
  [
    'refused',
    async () => {
      throw new Error('above the budget');
    },
  ],
])('an invocation that is %s settles its Salesforce calls and reports them', async (_how, body) => {
  const o = orgs();
  const m = metrics();
  const answered: unknown[] = [];
  const handler = middy<unknown, unknown>()
    // Stands in for problemDetailsHandler: it answers the error, after the settle.
    .use({
      onError: async (request) => {
        answered.push(o.events.slice());
        request.response = 'problem';
      },
    })
    .use(settleSalesforce(o, m.recorder))
    .handler(body);
  await handler({}, {} as never);
  expect(o.events).toEqual(['take', 'settle']);
  expect(m.perSite).toContain('SalesforceApiUsed');
  if (answered.length > 0) expect(answered).toEqual([['take', 'settle']]);
});
