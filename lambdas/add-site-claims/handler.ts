import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { DynamoDbUserRepository } from '../../shared/adapters/dynamodb/dynamodb-site-records';
import { parseConfig, signInClaimsConfigSchema } from '../../shared/config/env';
import { SITES_CLAIM } from '../../shared/domain/access';
import { serviceLogger } from '../../shared/logging/service-logger';
import { logContext } from '../../shared/middleware/log-context';
import { issueSiteClaims } from '../../shared/use-cases/issue-site-claims';

/**
 * Cognito's pre-token-generation trigger (event version 2): before every sign-in and token
 * refresh, the `sites` claim (the person's role per site) goes into the ID and access tokens,
 * and a `display_name` for the console. Locally the sign-in calls this same handler.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 */
const config = parseConfig(signInClaimsConfigSchema);
const logger = serviceLogger('add-site-claims');
const users = new DynamoDbUserRepository(
  DynamoDBDocumentClient.from(new DynamoDBClient({})),
  config.TABLE_NAME,
);

export const handler = middy<PreTokenGenerationV2TriggerEvent, PreTokenGenerationV2TriggerEvent>()
  .use(logContext(logger))
  .handler(async (event) => {
    const attributes = event.request.userAttributes;
    const { sites } = await issueSiteClaims(
      { users },
      { email: attributes.email, emailVerified: attributes.email_verified === 'true' },
    );
    const claims = {
      [SITES_CLAIM]: sites,
      display_name: attributes.name || attributes.email || event.userName,
    };
    logger.info('Site claims issued', {
      trigger: event.triggerSource,
      sites: sites.split(' ').filter(Boolean).length,
    });
    event.response.claimsAndScopeOverrideDetails = {
      idTokenGeneration: { claimsToAddOrOverride: claims },
      accessTokenGeneration: { claimsToAddOrOverride: claims },
    };
    return event;
  });
