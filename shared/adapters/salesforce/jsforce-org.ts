import { Connection, OAuth2 } from 'jsforce/core';
import { setDefaults } from 'jsforce/lib/request';
import { QuoteSyncError, RefreshTokenRefusedError, SalesforceApiError } from '../../domain/errors';
import type { OrgProbe, ProbeResult } from '../../domain/org-editions';
import {
  FLOW_API_NAME,
  type FlowSpec,
  OUTBOUND_MESSAGE_FULL_NAME,
  type OutboundMessageSpec,
  SALESFORCE_API_VERSION,
} from '../../domain/salesforce-setup';
import type { FlowActivation, OrgField, SalesforceOrg } from '../../ports/salesforce';
import { flowMetadata, outboundMessageMetadata } from './setup-metadata';

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
        updateable: f.updateable,
        ...(f.picklistValues?.length
          ? { picklistValues: f.picklistValues.filter((p) => p.active).map((p) => p.value) }
          : {}),
      }));
    } catch (error) {
      throw salesforceError(`Describing ${sObjectType} failed`, error, this.connection);
    }
  }

  /**
   * What the org is and whether the APIs the integration needs answer: the Organization record
   * (edition, sandbox or not) over REST, and describeMetadata. A refusal is reported; anything
   * else (a 5xx, a timeout) is thrown, since it says nothing about the org.
   */
  async probe(): Promise<OrgProbe> {
    let organization: OrgProbe['organization'];
    let api: ProbeResult = { ok: true };
    try {
      const result = await this.connection.query<{
        Name: string;
        OrganizationType: string;
        IsSandbox: boolean;
        InstanceName: string | null;
      }>('SELECT Name, OrganizationType, IsSandbox, InstanceName FROM Organization');
      const row = result.records[0];
      if (row) {
        organization = {
          name: row.Name,
          edition: row.OrganizationType,
          isSandbox: row.IsSandbox,
          ...(row.InstanceName ? { instanceName: row.InstanceName } : {}),
        };
      }
    } catch (error) {
      api = refusalOf(error, 'Reading the Organization record failed');
    }
    let metadataApi: ProbeResult = { ok: true };
    try {
      await this.connection.metadata.describe(SALESFORCE_API_VERSION);
    } catch (error) {
      metadataApi = refusalOf(error, 'Calling the Metadata API failed');
    }
    return { ...(organization ? { organization } : {}), api, metadataApi };
  }

  /** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm */
  async apiUsage(): Promise<{ used: number; limit: number }> {
    try {
      const limits = (await this.connection.limits()) as {
        DailyApiRequests?: { Max: number; Remaining: number };
      };
      const daily = limits.DailyApiRequests;
      if (!daily)
        throw new SalesforceApiError('The org reports no DailyApiRequests limit', 'NO_LIMIT', undefined);
      return { used: daily.Max - daily.Remaining, limit: daily.Max };
    } catch (error) {
      throw salesforceError("Reading the org's API usage failed", error);
    }
  }

  async deployOutboundMessage(spec: OutboundMessageSpec): Promise<void> {
    try {
      const result = await this.connection.metadata.upsert(
        'WorkflowOutboundMessage',
        outboundMessageMetadata(spec) as never,
      );
      check(result as unknown as SaveResult, 'Saving the outbound message failed');
    } catch (error) {
      throw salesforceError('Saving the outbound message failed', error, this.connection);
    }
  }

  async deployFlow(spec: FlowSpec): Promise<FlowActivation> {
    try {
      const result = await this.connection.metadata.upsert('Flow', flowMetadata(spec) as never);
      check(result as unknown as SaveResult, 'Saving the flow failed');
    } catch (error) {
      throw salesforceError('Saving the flow failed', error, this.connection);
    }
    return this.activateFlow();
  }

  /**
   * A production org saves a deployed flow inactive unless "Deploy processes and flows as active"
   * is on, so the save alone proves nothing: read the definition back and, when its latest
   * version is not the active one, activate it through the Tooling API, as Flow Builder's
   * Activate button does.
   * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_flowdefinition.htm
   */
  async activateFlow(): Promise<FlowActivation> {
    const before = await this.flowDefinition("Reading the flow's active version failed");
    if (!before) return { outcome: 'missing', latestVersion: 0, activeVersion: 0 };
    const latestVersion = before.LatestVersion?.VersionNumber ?? 0;
    const activeVersion = before.ActiveVersion?.VersionNumber ?? 0;
    if (before.ActiveVersionId !== null && before.ActiveVersionId === before.LatestVersionId) {
      return { outcome: 'was-active', latestVersion, activeVersion };
    }
    try {
      await this.connection.tooling
        .sobject('FlowDefinition')
        .update({ Id: before.Id, Metadata: { activeVersionNumber: latestVersion } } as never);
    } catch (error) {
      const refused = salesforceError('Activating the flow failed', error);
      const errorCode = refused instanceof SalesforceApiError ? refused.errorCode : refused.name;
      return {
        outcome: 'refused',
        latestVersion,
        activeVersion,
        refusal: { errorCode, message: messageOf(error) },
      };
    }
    const after = await this.flowDefinition("Reading the flow's active version failed");
    const nowActive = after?.ActiveVersion?.VersionNumber ?? 0;
    if (after && after.ActiveVersionId !== null && after.ActiveVersionId === after.LatestVersionId) {
      return { outcome: 'activated', latestVersion, activeVersion: nowActive };
    }
    return {
      outcome: 'refused',
      latestVersion,
      activeVersion: nowActive,
      refusal: {
        errorCode: 'NOT_ACTIVATED',
        message: `Salesforce accepted the activation of version ${latestVersion}, but version ${nowActive || 'none'} is active`,
      },
    };
  }

  /** The flow's definition from the Tooling API, with its active and latest version numbers. */
  private async flowDefinition(what: string): Promise<FlowDefinitionRow | undefined> {
    try {
      const result = await this.connection.tooling.query<FlowDefinitionRow>(
        `SELECT Id, ActiveVersionId, LatestVersionId, ActiveVersion.VersionNumber, LatestVersion.VersionNumber FROM FlowDefinition WHERE DeveloperName = '${FLOW_API_NAME}'`,
      );
      return result.records[0];
    } catch (error) {
      throw salesforceError(what, error);
    }
  }

  async removeSetup(): Promise<void> {
    const { metadata } = this.connection;
    try {
      // Salesforce deletes no active flow: deactivate it first (activeVersionNumber 0).
      const definition = await this.flowDefinition('Reading the flow before deleting it failed');
      if (definition?.ActiveVersionId) {
        await this.connection.tooling
          .sobject('FlowDefinition')
          .update({ Id: definition.Id, Metadata: { activeVersionNumber: 0 } } as never);
      }
      if (definition) {
        const flow = (await metadata.delete('Flow', FLOW_API_NAME)) as unknown as SaveResult;
        if (!flow.success && !isMissing(flow)) check(flow, 'Deleting the flow failed');
      }
      // An admin may have removed it already: only delete what the org still holds.
      if (await readMetadata(this.connection, 'WorkflowOutboundMessage', OUTBOUND_MESSAGE_FULL_NAME)) {
        const message = (await metadata.delete(
          'WorkflowOutboundMessage',
          OUTBOUND_MESSAGE_FULL_NAME,
        )) as unknown as SaveResult;
        if (!message.success && !isMissing(message)) check(message, 'Deleting the outbound message failed');
      }
    } catch (error) {
      throw salesforceError('Removing the Salesforce setup failed', error, this.connection);
    }
  }
}

interface FlowDefinitionRow {
  Id: string;
  ActiveVersionId: string | null;
  LatestVersionId: string | null;
  ActiveVersion: { VersionNumber: number } | null;
  LatestVersion: { VersionNumber: number } | null;
}

/** Answers that say the org (or its user) may not use an API, as opposed to it being unreachable. */
const REFUSAL_CODES =
  /^(API_DISABLED_FOR_ORG|API_CURRENTLY_DISABLED|FUNCTIONALITY_NOT_ENABLED|INSUFFICIENT_ACCESS\w*|INVALID_TYPE)$/;

function refusalOf(error: unknown, what: string): ProbeResult {
  const failure = salesforceError(what, error);
  if (!(failure instanceof SalesforceApiError)) throw failure;
  const code = failure.errorCode.replace(/^sf:/, '');
  if (!REFUSAL_CODES.test(code)) throw salesforceError(what, error);
  return { ok: false, errorCode: code, message: messageOf(error).replace(/^\w+: /, '') };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * metadata.read of one component, undefined when the org has none: jsforce 3.10 throws
 * "TypeError: Cannot destructure property '$'" when the answer holds no record, which is
 * Salesforce's answer for a name it does not know.
 */
export async function readMetadata<T>(
  connection: Connection,
  type: string,
  fullName: string,
): Promise<T | undefined> {
  try {
    const record = (await connection.metadata.read(type as never, fullName)) as unknown as
      | (T & { fullName?: string })
      | undefined;
    return record?.fullName ? record : undefined;
  } catch (error) {
    if (error instanceof TypeError && /destructure/.test(error.message)) return undefined;
    throw error;
  }
}

function isMissing(result: SaveResult): boolean {
  const errors =
    result.errors === undefined ? [] : Array.isArray(result.errors) ? result.errors : [result.errors];
  return errors.some((e) =>
    /INVALID_CROSS_REFERENCE_KEY|NOT_FOUND|no .* named/i.test(`${e.statusCode} ${e.message}`),
  );
}
