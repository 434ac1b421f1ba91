import { flowActivationState } from '../../../shared/domain/flow-activation';

describe('flow activation state', () => {
  it('active when the save made it active or the service activated it', () => {
    expect(
      flowActivationState({ outcome: 'was-active', latestVersion: 2, activeVersion: 2 }, 'acme'),
    ).toEqual({
      state: 'active',
    });
    expect(flowActivationState({ outcome: 'activated', latestVersion: 2, activeVersion: 2 }, 'acme')).toEqual(
      {
        state: 'active',
      },
    );
  });

  it('saved but inactive carries the reason and what the admin must do', () => {
    const refused = flowActivationState(
      {
        outcome: 'refused',
        latestVersion: 3,
        activeVersion: 2,
        refusal: { errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights on object id' },
      },
      'acme',
    );
    expect(refused.state).toBe('saved-but-inactive');
    expect(refused.inactive?.reason).toMatch(/^Flow saved but inactive: .*version 3.*insufficient access/);
    expect(refused.inactive?.adminAction).toMatch(/Manage Flow/);
    expect(refused.inactive?.adminAction).toMatch(/POST \/sites\/acme\/salesforce\/deploy/);
    const other = flowActivationState(
      {
        outcome: 'refused',
        latestVersion: 1,
        activeVersion: 0,
        refusal: { errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'x' },
      },
      'acme',
    );
    expect(other.inactive?.adminAction).toMatch(/Deploy processes and flows as active/);
  });
});
