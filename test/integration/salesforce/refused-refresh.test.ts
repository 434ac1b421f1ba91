import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import { JsforceOrg } from '../../../shared/adapters/salesforce/jsforce-org';
import { JsforceQuery } from '../../../shared/adapters/salesforce/jsforce-query';
import { RefreshTokenRefusedError, SalesforceApiError } from '../../../shared/domain/errors';
import { classifySalesforceFailure } from '../../../shared/domain/salesforce-failures';

/**
 * The Salesforce adapter says what a failure is with a type: a refresh token Salesforce refuses
 * (invalid_grant) is a RefreshTokenRefusedError carrying the OAuth code, whatever words jsforce
 * wraps it in; an org that merely answers with an error stays a SalesforceApiError.
 */
let sandbox: SalesforceSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox.stop();
});

function connectionWithRefreshToken() {
  const redirectUri = 'http://127.0.0.1:1/callback';
  const code = sandbox.auth.issueCode({
    clientId: sandbox.clientId,
    redirectUri,
    codeChallenge: undefined,
    userId: sandbox.adminUserId,
  });
  const token = sandbox.auth.exchangeCode({
    grant_type: 'authorization_code',
    code,
    client_id: sandbox.clientId,
    client_secret: sandbox.clientSecret,
    redirect_uri: redirectUri,
  }) as { refresh_token: string };
  const connection = JsforceOrg.connect({
    loginUrl: sandbox.loginUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    instanceUrl: sandbox.url,
    refreshToken: token.refresh_token,
  });
  return { connection, refreshToken: token.refresh_token };
}

test('a revoked refresh token is a RefreshTokenRefusedError with the OAuth code, classified as reconnect', async () => {
  const { connection, refreshToken } = connectionWithRefreshToken();
  expect(sandbox.auth.revoke(refreshToken)).toBe(true);
  const query = new JsforceQuery(async () => connection);

  const error = await query.firstPage('site', 'SELECT Id FROM Account').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RefreshTokenRefusedError);
  expect((error as Error).message).toMatch(/^Salesforce refused the refresh token \(invalid_grant: /);
  expect(classifySalesforceFailure(error)).toBe('reconnect');
  // The describe of the same connection is refused the same way.
  await expect(new JsforceOrg(connection).describe('Account')).rejects.toBeInstanceOf(
    RefreshTokenRefusedError,
  );
});

test('a working refresh token refreshes; a bad query is a SalesforceApiError with its code', async () => {
  const { connection } = connectionWithRefreshToken();
  const query = new JsforceQuery(async () => connection);
  await expect(query.firstPage('site', 'SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({
    records: expect.any(Array),
  });
  const error = await query.firstPage('site', 'SELECT Nope__c FROM Account').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SalesforceApiError);
  expect(error).toMatchObject({ errorCode: 'INVALID_FIELD' });
  expect(classifySalesforceFailure(error)).toBe('permanent');
});
