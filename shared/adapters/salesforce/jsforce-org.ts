import { Connection, OAuth2 } from 'jsforce';
import { setDefaults } from 'jsforce/lib/request';
import { QuoteSyncError, RefreshTokenRefusedError, SalesforceApiError } from '../../domain/errors';
import {
  FLOW_API_NAME,
  type FlowSpec,
  OUTBOUND_MESSAGE_FULL_NAME,
  type OutboundMessageSpec,
  SALESFORCE_API_VERSION,
} from '../../domain/salesforce-setup';
import type { OrgField, SalesforceOrg } from '../../ports/salesforce';

/**
 * jsforce waits 30 minutes for a response by default; ours must answer well within a Lambda's
 * time limit, so a slow org fails the call (and SQS retries the message) instead.
 */
export const SALESFORCE_TIMEOUT_MS = 20_000;
setDefaults({ timeout: SALESFORCE_TIMEOUT_MS, followRedirect: true });

/** Sets jsforce's request timeout for this process (jsforce keeps one setting per process). */
export function setSalesforceTimeout(ms: number): void {
  setDefaults({ timeout: ms, followRedirect: true });
}

interface SaveResult {
  success: boolean;
  fullName: string;
  errors?: { message: string; statusCode: string } | Array<{ message: string; statusCode: string }>;
}

function check(result: SaveResult | SaveResult[], what: string): void {
  for (const one of Array.isArray(result) ? result : [result]) {
    if (one.success) continue;
    const errors = one.errors === undefined ? [] : Array.isArray(one.errors) ? one.errors : [one.errors];
    const code = errors[0]?.statusCode ?? 'UNKNOWN_EXCEPTION';
    throw new SalesforceApiError(
      `${what}: ${errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}`,
      code,
      undefined,
    );
  }
}

/**
 * Why a connection's last token refresh failed, when that is one of our errors: Salesforce
 * refused the refresh token (OAuth `invalid_grant`: revoked, expired, or replaced by a rotation),
 * or the site cannot be connected. jsforce rethrows a failed refresh as a plain Error carrying
 * only a message, so the typed failure is remembered here, where the refresh happens.
 */
const refreshFailures = new WeakMap<Connection, QuoteSyncError>();

/**
 * Converts jsforce's errors to ours, keeping Salesforce's error code and the HTTP status. A call
 * that failed because the connection could not be refreshed answers the refresh's own error
 * (RefreshTokenRefusedError, ReconnectNeededError, ConflictError): retrying cannot help.
 */
export function salesforceError(what: string, error: unknown, connection?: Connection): QuoteSyncError {
  if (error instanceof QuoteSyncError) return error;
  const refreshFailure = connection === undefined ? undefined : refreshFailures.get(connection);
  if (refreshFailure) return refreshFailure;
  const e = error as { errorCode?: string; name?: string; message?: string; statusCode?: number };
  return new SalesforceApiError(
    `${what}: ${e.message ?? String(error)}`,
    e.errorCode ?? e.name ?? 'UNKNOWN',
    e.statusCode,
    { cause: error },
  );
}

/** A connected org through jsforce. Metadata element order follows Salesforce's WSDL. */
export class JsforceOrg implements SalesforceOrg {
  constructor(readonly connection: Connection) {}

  static connect(options: {
    loginUrl: string;
    clientId: string;
    clientSecret: string;
    instanceUrl: string;
    /** The token itself, or how to get it when a refresh is due (read from the store only then). */
    refreshToken: string | (() => Promise<string>);
    accessToken?: string;
  }): Connection {
    const { refreshToken } = options;
    const oauth2 = new OAuth2({
      loginUrl: options.loginUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
    });
    return new Connection({
      oauth2,
      instanceUrl: options.instanceUrl,
      ...(typeof refreshToken === 'string' ? { refreshToken } : {}),
      // jsforce rethrows whatever fails here as a bare "Unable to refresh session due to: …",
      // losing its type; the failure is remembered so that salesforceError can report it typed.
      refreshFn: (conn, callback) => {
        const token =
          conn.refreshToken || typeof refreshToken === 'string'
            ? Promise.resolve(conn.refreshToken ?? '')
            : refreshToken().then((loaded) => {
                conn.refreshToken = loaded;
                return loaded;
              });
        const fail = (error: Error, typed: QuoteSyncError | undefined) => {
          if (typed) refreshFailures.set(conn, typed);
          callback(error);
        };
        token.then(
          (loaded) =>
            oauth2.refreshToken(loaded).then(
              (response) => {
                refreshFailures.delete(conn);
                callback(null, response.access_token, response);
              },
              (error: Error) =>
                fail(
                  error,
                  error.name === 'invalid_grant'
                    ? new RefreshTokenRefusedError(
                        `Salesforce refused the refresh token (${error.name}: ${error.message})`,
                        { cause: error },
                      )
                    : undefined,
                ),
            ),
          // Our own refusals (not connected, reconnect needed).
          (error: Error) => fail(error, error instanceof QuoteSyncError ? error : undefined),
        );
      },
      ...(options.accessToken ? { accessToken: options.accessToken } : {}),
      version: SALESFORCE_API_VERSION,
    });
  }

  async describe(sObjectType: string): Promise<OrgField[]> {
    try {
      const result = await this.connection.sobject(sObjectType).describe();
      return result.fields.map((f) => ({
        name: f.name,
        label: f.label,
        type: f.type,
        ...(f.picklistValues?.length
          ? { picklistValues: f.picklistValues.filter((p) => p.active).map((p) => p.value) }
          : {}),
      }));
    } catch (error) {
      throw salesforceError(`Describing ${sObjectType} failed`, error, this.connection);
    }
  }

  async deployOutboundMessage(spec: OutboundMessageSpec): Promise<void> {
    // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_workflow.htm
    const metadata = {
      fullName: spec.fullName,
      apiVersion: SALESFORCE_API_VERSION,
      description:
        'Sends opportunities to salesforce-quote-sync. Managed by the integration; edits are overwritten.',
      endpointUrl: spec.endpointUrl,
      fields: spec.fields,
      includeSessionId: false,
      integrationUser: spec.integrationUser,
      name: spec.name,
      protected: false,
      useDeadLetterQueue: false,
    };
    try {
      const result = await this.connection.metadata.upsert('WorkflowOutboundMessage', metadata as never);
      check(result as unknown as SaveResult, 'Saving the outbound message failed');
    } catch (error) {
      throw salesforceError('Saving the outbound message failed', error, this.connection);
    }
  }

  async deployFlow(spec: FlowSpec): Promise<{ version: number }> {
    // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_visual_workflow.htm
    const actionName = 'Send_to_quote_sync';
    const metadata = {
      fullName: spec.apiName,
      actionCalls: [
        {
          name: actionName,
          label: 'Send to quote sync',
          locationX: 176,
          locationY: 335,
          actionName: spec.outboundMessage,
          actionType: 'outboundMessage',
        },
      ],
      apiVersion: SALESFORCE_API_VERSION,
      description: 'Sends an opportunity when it reaches the chosen stage. Managed by the integration.',
      label: spec.label,
      processType: 'AutoLaunchedFlow',
      start: {
        locationX: 50,
        locationY: 0,
        connector: { targetReference: actionName },
        // Only when a record is created, or updated, to meet the conditions: not on every edit.
        doesRequireRecordChangedToMeetCriteria: true,
        filterLogic: 'and',
        filters: spec.filters.map((f) => ({
          field: f.field,
          operator: f.operator,
          value: { [f.value.kind]: f.value.value },
        })),
        object: 'Opportunity',
        recordTriggerType: 'CreateAndUpdate',
        triggerType: 'RecordAfterSave',
      },
      status: 'Active',
    };
    try {
      const result = await this.connection.metadata.upsert('Flow', metadata as never);
      check(result as unknown as SaveResult, 'Saving the flow failed');
      const definition = (await this.connection.metadata.read('FlowDefinition', spec.apiName)) as {
        activeVersionNumber?: string | number;
      };
      return { version: Number(definition.activeVersionNumber ?? 0) };
    } catch (error) {
      throw salesforceError('Saving the flow failed', error, this.connection);
    }
  }

  async removeSetup(): Promise<void> {
    const { metadata } = this.connection;
    try {
      // Salesforce deletes no active flow: deactivate it first (activeVersionNumber 0). An org
      // without the flow, or one that refuses the definition, is left to the delete's answer.
      await metadata
        .upsert('FlowDefinition', { fullName: FLOW_API_NAME, activeVersionNumber: 0 } as never)
        .catch(() => undefined);
      const flow = (await metadata.delete('Flow', FLOW_API_NAME)) as unknown as SaveResult;
      if (!flow.success && !isMissing(flow)) check(flow, 'Deleting the flow failed');
      const message = (await metadata.delete(
        'WorkflowOutboundMessage',
        OUTBOUND_MESSAGE_FULL_NAME,
      )) as unknown as SaveResult;
      if (!message.success && !isMissing(message)) check(message, 'Deleting the outbound message failed');
    } catch (error) {
      throw salesforceError('Removing the Salesforce setup failed', error, this.connection);
    }
  }
}

function isMissing(result: SaveResult): boolean {
  const errors =
    result.errors === undefined ? [] : Array.isArray(result.errors) ? result.errors : [result.errors];
  return errors.some((e) =>
    /INVALID_CROSS_REFERENCE_KEY|NOT_FOUND|no .* named/i.test(`${e.statusCode} ${e.message}`),
  );
}
