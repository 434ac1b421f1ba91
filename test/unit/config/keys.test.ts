import { keyAdapters, salesforceApp, tokenCipher } from '../../../shared/config/keys';
import { ConfigurationError } from '../../../shared/domain/errors';

/** Key and connected-app configuration fails with this product's configuration error, naming what to set. */
test('no key configuration is a ConfigurationError naming the variables', () => {
  expect(() => keyAdapters({})).toThrow(ConfigurationError);
  expect(() => keyAdapters({ TOKEN_KEY_ID: 'alias/tokens' })).toThrow(
    'set TOKEN_KEY_ID and WEBHOOK_KEY_ID, or LOCAL_KEY_FILE',
  );
  expect(() => tokenCipher({})).toThrow(
    new ConfigurationError('No key configuration: set TOKEN_KEY_ID, or LOCAL_KEY_FILE'),
  );
});

test('a missing consumer secret is a ConfigurationError naming the variables', async () => {
  const app = salesforceApp({
    SALESFORCE_CLIENT_ID: 'id',
  });
  await expect(app()).rejects.toThrow(ConfigurationError);
  await expect(app()).rejects.toThrow('set SALESFORCE_CLIENT_SECRET_NAME, or SALESFORCE_CLIENT_SECRET');
});

test('the local consumer secret is used as it is', async () => {
  const app = salesforceApp({
    SALESFORCE_CLIENT_ID: 'id',
    SALESFORCE_CLIENT_SECRET: 'secret',
  });
  await expect(app()).resolves.toEqual({
    clientId: 'id',
    clientSecret: 'secret',
  });
});
