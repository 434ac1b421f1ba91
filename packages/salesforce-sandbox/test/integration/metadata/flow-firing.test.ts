import { ManualClock } from '../../unit/metadata/fakes';
import { deployScoroAutomation, OutboundEndpoint, startSandbox } from './harness';

type Trigger = 'Create' | 'Update' | 'CreateAndUpdate';
// trigger type, event, criteria met before the save (null on create), met after, only when changed, fires
type Row = [Trigger, 'create' | 'update', boolean | null, boolean, boolean, boolean];

const rows: Row[] = [];
for (const trigger of ['Create', 'Update', 'CreateAndUpdate'] as const) {
  for (const onlyWhenChanged of [false, true]) {
    for (const after of [false, true]) {
      const createFires = trigger !== 'Update' && after;
      rows.push([trigger, 'create', null, after, onlyWhenChanged, createFires]);
      for (const before of [false, true]) {
        const updateFires = trigger !== 'Create' && after && (!onlyWhenChanged || !before);
        rows.push([trigger, 'update', before, after, onlyWhenChanged, updateFires]);
      }
    }
  }
}

describe('record-triggered flow firing through saves', () => {
  const endpoint = new OutboundEndpoint();
  beforeAll(async () => {
    await endpoint.start();
  });
  afterAll(async () => {
    await endpoint.stop();
  });
  beforeEach(() => {
    endpoint.received.length = 0;
  });

  it.each(rows)(
    '%s flow, record %sd, met before %s, met after %s, only when changed %s → sends %s',
    async (trigger, event, before, after, onlyWhenChanged, fires) => {
      const sandbox = await startSandbox(new ManualClock());
      try {
        const stage = (met: boolean) => (met ? 'Closed Won' : 'Negotiation/Review');
        const existing =
          event === 'update'
            ? sandbox.store.insert('Opportunity', { Name: 'Acme', StageName: stage(before === true) })
            : undefined;
        await deployScoroAutomation(sandbox, endpoint.url, {
          recordTriggerType: trigger,
          doesRequireRecordChangedToMeetCriteria: onlyWhenChanged,
        });
        const saved = existing
          ? sandbox.store.update('Opportunity', existing.Id, { StageName: stage(after) })
          : sandbox.store.insert('Opportunity', { Name: 'Acme', StageName: stage(after) });
        await sandbox.automation.flush();
        const sentFor = endpoint.received.filter((post) => post.body.includes(`<sf:Id>${saved.Id}</sf:Id>`));
        expect(sentFor).toHaveLength(fires ? 1 : 0);
      } finally {
        await sandbox.close();
      }
    },
  );

  it('honours custom filter logic across several conditions', async () => {
    const sandbox = await startSandbox(new ManualClock());
    try {
      await deployScoroAutomation(sandbox, endpoint.url, {
        recordTriggerType: 'CreateAndUpdate',
        doesRequireRecordChangedToMeetCriteria: false,
        filterLogic: '1 AND (2 OR 3)',
        filters: [
          { field: 'StageName', operator: 'EqualTo', value: { stringValue: 'Closed Won' } },
          { field: 'Amount', operator: 'GreaterThanOrEqualTo', value: { numberValue: 1000 } },
          { field: 'Scoro_Sync__c', operator: 'EqualTo', value: { booleanValue: true } },
        ],
      });
      const small = sandbox.store.insert('Opportunity', {
        StageName: 'Closed Won',
        Amount: 10,
        Scoro_Sync__c: false,
      });
      const flagged = sandbox.store.insert('Opportunity', {
        StageName: 'Closed Won',
        Amount: 10,
        Scoro_Sync__c: true,
      });
      const big = sandbox.store.insert('Opportunity', {
        StageName: 'Closed Won',
        Amount: 5000,
        Scoro_Sync__c: false,
      });
      const open = sandbox.store.insert('Opportunity', {
        StageName: 'Prospecting',
        Amount: 5000,
        Scoro_Sync__c: true,
      });
      await sandbox.automation.flush();
      const bodies = endpoint.received.map((post) => post.body).join('');
      expect([small, flagged, big, open].map((o) => bodies.includes(`<sf:Id>${o.Id}</sf:Id>`))).toEqual([
        false,
        true,
        true,
        false,
      ]);
    } finally {
      await sandbox.close();
    }
  });

  it('does not run Draft flows, and runs the active version after a re-save', async () => {
    const sandbox = await startSandbox(new ManualClock());
    try {
      await deployScoroAutomation(sandbox, endpoint.url, {
        status: 'Draft',
        doesRequireRecordChangedToMeetCriteria: false,
      });
      sandbox.store.insert('Opportunity', { StageName: 'Closed Won' });
      await sandbox.automation.flush();
      expect(endpoint.received).toHaveLength(0);
      await deployScoroAutomation(sandbox, endpoint.url, {
        status: 'Active',
        doesRequireRecordChangedToMeetCriteria: false,
      });
      sandbox.store.insert('Opportunity', { StageName: 'Closed Won' });
      await sandbox.automation.flush();
      expect(endpoint.received).toHaveLength(1);
    } finally {
      await sandbox.close();
    }
  });
});
