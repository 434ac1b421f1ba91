import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsEnvelopeCipher, KmsWebhookSecrets } from '../adapters/keys/kms-keys';
import { LocalKeyCipher, LocalKeyWebhookSecrets, loadOrCreateMasterKey } from '../adapters/keys/local-keys';
import { ApiCallMeter } from '../adapters/salesforce/api-call-meter';
import { ConnectedOrgs } from '../adapters/salesforce/connected-orgs';
import type { SalesforceAppConfig } from '../adapters/salesforce/jsforce-oauth';
import { LoginEndpoints } from '../adapters/salesforce/login-endpoints';
import { ConfigurationError } from '../domain/errors';
import type { LoginKind } from '../domain/salesforce-login';
import type { ApiUsageStore } from '../ports/api-usage';
import type { SecretCipher, WebhookSecrets } from '../ports/secrets';
import type { ConnectionRepository } from '../ports/site-records';

/** Builds the key adapters from configuration: KMS in AWS, the local key file in local mode. */
export function keyAdapters(config: {
  TOKEN_KEY_ID?: string | undefined;
  WEBHOOK_KEY_ID?: string | undefined;
  LOCAL_KEY_FILE?: string | undefined;
}): { cipher: SecretCipher; webhookSecrets: WebhookSecrets } {
  if (config.TOKEN_KEY_ID && config.WEBHOOK_KEY_ID) {
    const kms = new KMSClient({});
    return {
      cipher: new KmsEnvelopeCipher(kms, config.TOKEN_KEY_ID),
      webhookSecrets: new KmsWebhookSecrets(kms, config.WEBHOOK_KEY_ID),
    };
  }
  if (!config.LOCAL_KEY_FILE)
    throw new ConfigurationError(
      'No key configuration: set TOKEN_KEY_ID and WEBHOOK_KEY_ID, or LOCAL_KEY_FILE',
    );
  const master = loadOrCreateMasterKey(config.LOCAL_KEY_FILE);
  return { cipher: new LocalKeyCipher(master), webhookSecrets: new LocalKeyWebhookSecrets(master) };
}

/**
 * The app's credentials. The consumer secret comes from Secrets Manager (cached by Powertools for
 * 5 minutes) in AWS, or from the environment in local mode.
 */
export function salesforceApp(config: {
  SALESFORCE_CLIENT_ID: string;
  SALESFORCE_CLIENT_SECRET_NAME?: string | undefined;
  SALESFORCE_CLIENT_SECRET?: string | undefined;
}): () => Promise<SalesforceAppConfig> {
  return async () => {
    const clientSecret = config.SALESFORCE_CLIENT_SECRET_NAME
      ? await getSecret<string>(config.SALESFORCE_CLIENT_SECRET_NAME, { maxAge: 300 })
      : config.SALESFORCE_CLIENT_SECRET;
    if (!clientSecret)
      throw new ConfigurationError(
        config.SALESFORCE_CLIENT_SECRET_NAME
          ? `The secret ${config.SALESFORCE_CLIENT_SECRET_NAME} holds no Salesforce consumer secret`
          : 'No Salesforce consumer secret: set SALESFORCE_CLIENT_SECRET_NAME, or SALESFORCE_CLIENT_SECRET',
      );
    return { clientId: config.SALESFORCE_CLIENT_ID, clientSecret };
  };
}

/** Where each site's login choice signs in: the login hosts in AWS, the local sandbox locally. */
export function salesforceLogins(config: {
  SALESFORCE_LOGIN_URL: string;
  SALESFORCE_LOGIN_ENDPOINTS?: Partial<Record<LoginKind, string>> | undefined;
}): LoginEndpoints {
  return new LoginEndpoints({
    legacyUrl: config.SALESFORCE_LOGIN_URL,
    overrides: config.SALESFORCE_LOGIN_ENDPOINTS,
  });
}

/** Only the refresh-token cipher, for functions that never derive webhook secrets (the sync worker). */
export function tokenCipher(config: {
  TOKEN_KEY_ID?: string | undefined;
  LOCAL_KEY_FILE?: string | undefined;
}): SecretCipher {
  if (config.TOKEN_KEY_ID) return new KmsEnvelopeCipher(new KMSClient({}), config.TOKEN_KEY_ID);
  if (!config.LOCAL_KEY_FILE)
    throw new ConfigurationError('No key configuration: set TOKEN_KEY_ID, or LOCAL_KEY_FILE');
  return new LocalKeyCipher(loadOrCreateMasterKey(config.LOCAL_KEY_FILE));
}

/**
 * The site connections every function that calls Salesforce uses: the app's credentials, each
 * site's login host, and a meter that keeps each org's API usage in `apiUsage`.
 */
export function connectedOrgs(
  config: Parameters<typeof salesforceApp>[0] &
    Parameters<typeof salesforceLogins>[0] &
    Parameters<typeof tokenCipher>[0],
  deps: {
    connections: ConnectionRepository;
    apiUsage: ApiUsageStore;
    cipher?: SecretCipher;
    /** The store keeps calls in memory for another write to carry: hand it each call at once. */
    recordEachCall?: boolean;
  },
): ConnectedOrgs {
  return new ConnectedOrgs({
    connections: deps.connections,
    cipher: deps.cipher ?? tokenCipher(config),
    app: salesforceApp(config),
    logins: salesforceLogins(config),
    meter: new ApiCallMeter(deps.apiUsage, { recordEachCall: deps.recordEachCall ?? false }),
  });
}
