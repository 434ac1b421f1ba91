import { explainAuthorizationRefusal } from '../../../shared/domain/authorization-refusals';

const context = { redirectUri: 'https://api.example.com/salesforce/oauth/callback' };

describe("Salesforce's refusals of a Connect", () => {
  it('an uninstalled app (since September 2025) tells the admin to install it or use the permission', () => {
    const refusal = explainAuthorizationRefusal('invalid_client', 'app must be installed into org', context);
    expect(refusal.salesforce).toEqual({
      error: 'invalid_client',
      description: 'app must be installed into org',
    });
    expect(refusal.title).toMatch(/not installed/);
    expect(refusal.needsOrgAdmin).toBe(true);
    expect(refusal.steps.join(' ')).toMatch(/Connected Apps OAuth Usage.*Install/);
    expect(refusal.steps.join(' ')).toMatch(/Approve Uninstalled Connected Apps/);
  });

  it('a blocked app, an unapproved user and a denial each get their own answer', () => {
    expect(
      explainAuthorizationRefusal('OAUTH_APP_BLOCKED', 'this app is blocked by admin', context),
    ).toMatchObject({
      title: expect.stringMatching(/blocked/),
      needsOrgAdmin: true,
    });
    expect(
      explainAuthorizationRefusal(
        'OAUTH_APP_ACCESS_DENIED',
        'user is not admin approved to access this app',
        context,
      ),
    ).toMatchObject({ title: expect.stringMatching(/not approved/), needsOrgAdmin: true });
    expect(
      explainAuthorizationRefusal('access_denied', 'end-user denied authorization', context),
    ).toMatchObject({
      steps: ['Connect again and choose Allow.'],
      needsOrgAdmin: false,
    });
  });

  it('a callback URL mismatch names the URL to register', () => {
    const refusal = explainAuthorizationRefusal(
      'redirect_uri_mismatch',
      'redirect_uri must match configuration',
      context,
    );
    expect(refusal.steps[0]).toContain(context.redirectUri);
  });

  it("an unknown code still shows Salesforce's own words", () => {
    const refusal = explainAuthorizationRefusal('SOMETHING_NEW', 'a new refusal', context);
    expect(refusal.reason).toBe('a new refusal');
    expect(refusal.salesforce.error).toBe('SOMETHING_NEW');
  });
});
