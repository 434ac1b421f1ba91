import type { Connection } from 'jsforce/core';
import { SalesforceApiError } from '../../domain/errors';
import { soqlString } from '../../domain/sync-run';
import type { OpportunityPush } from '../../ports/quote-edits';
import { salesforceError } from './jsforce-org';

/** Errors after which the same request may succeed: Salesforce's own advice for row locks. */
const RETRYABLE = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'ETIMEDOUT',
  'ECONNRESET',
  'TimeoutError',
  'AbortError',
]);

function retryable(error: unknown): boolean {
  if (!(error instanceof SalesforceApiError)) return false;
  return RETRYABLE.has(error.errorCode) || (error.status !== undefined && error.status >= 500);
}

/**
 * The writes of "Send to Salesforce" through jsforce, which retries only idempotent methods:
 * here the PATCH (idempotent: it sets a value) is retried as it is, and the file upload (a
 * POST) is retried only after looking for the version an earlier attempt may have created.
 */
export class JsforceOpportunityPush implements OpportunityPush {
  constructor(
    private readonly connect: (siteId: string) => Promise<Connection>,
    private readonly options: { attempts?: number; backoffMs?: number } = {},
  ) {}

  private async withRetries<T>(
    connection: Connection,
    what: string,
    run: (attempt: number) => Promise<T>,
  ): Promise<T> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await run(attempt);
      } catch (raw) {
        const error = salesforceError(what, raw, connection);
        if (attempt >= attempts || !retryable(error)) throw error;
        await new Promise((resolve) =>
          setTimeout(resolve, (this.options.backoffMs ?? 200) * 4 ** (attempt - 1)),
        );
      }
    }
  }

  async setSum(siteId: string, opportunityId: string, field: string, value: number) {
    const connection = await this.connect(siteId);
    const what = `Setting the opportunity's ${field} failed`;
    await this.withRetries(connection, what, async () => {
      const result = await connection.sobject('Opportunity').update({ Id: opportunityId, [field]: value });
      if (!result.success) {
        const [first] =
          (result as { errors?: Array<{ errorCode?: string; statusCode?: string; message: string }> })
            .errors ?? [];
        throw new SalesforceApiError(
          `${what}: ${first?.message ?? 'unknown error'}`,
          first?.errorCode ?? first?.statusCode ?? 'UNKNOWN',
          undefined,
        );
      }
    });
  }

  async readSum(siteId: string, opportunityId: string, field: string) {
    const connection = await this.connect(siteId);
    const fields = [...new Set(['Amount', field, 'HasOpportunityLineItem'])];
    const record = (await this.withRetries(connection, 'Reading the opportunity failed', () =>
      connection.sobject('Opportunity').retrieve(opportunityId, { fields }),
    )) as Record<string, unknown>;
    const number = (value: unknown) => (typeof value === 'number' ? value : null);
    return {
      value: number(record[field]),
      amount: number(record.Amount),
      hasLineItems: record.HasOpportunityLineItem === true,
    };
  }

  async latestFileVersion(siteId: string, contentDocumentId: string) {
    const connection = await this.connect(siteId);
    const found = await this.withRetries(connection, 'Reading the quote file failed', async () =>
      connection.query<{ Id: string; ContentDocumentId: string; VersionNumber: string; Checksum: string }>(
        `SELECT Id, ContentDocumentId, VersionNumber, Checksum FROM ContentVersion WHERE ContentDocumentId = ${soqlString(contentDocumentId)} AND IsLatest = true LIMIT 1`,
      ),
    );
    const latest = found.records[0];
    return latest
      ? {
          contentVersionId: latest.Id,
          contentDocumentId: latest.ContentDocumentId,
          versionNumber: String(latest.VersionNumber),
          checksum: String(latest.Checksum).toLowerCase(),
        }
      : undefined;
  }

  async uploadFile(
    siteId: string,
    file: {
      opportunityId: string;
      contentDocumentId?: string;
      title: string;
      fileName: string;
      data: Uint8Array;
      marker: string;
    },
  ) {
    const connection = await this.connect(siteId);
    const find = async () => {
      const found = await connection.query<{ Id: string; ContentDocumentId: string; VersionNumber: string }>(
        `SELECT Id, ContentDocumentId, VersionNumber FROM ContentVersion WHERE ReasonForChange = ${soqlString(file.marker)} LIMIT 1`,
      );
      return found.records[0];
    };
    const version = await this.withRetries(connection, 'Uploading the quote PDF failed', async (attempt) => {
      // An earlier attempt may have created the version although its answer never arrived.
      const existing = attempt > 1 ? await find() : undefined;
      if (existing) return existing;
      const created = await connection.sobject('ContentVersion').create({
        Title: file.title,
        PathOnClient: file.fileName,
        VersionData: Buffer.from(file.data).toString('base64'),
        ReasonForChange: file.marker,
        // The first upload publishes the file to the opportunity (Notes & Attachments); later
        // ones are new versions of that same file.
        ...(file.contentDocumentId
          ? { ContentDocumentId: file.contentDocumentId }
          : { FirstPublishLocationId: file.opportunityId }),
      });
      if (!created.success)
        throw new SalesforceApiError('Uploading the quote PDF failed', 'UPLOAD_FAILED', undefined);
      const stored = await find();
      if (!stored) throw new SalesforceApiError('The uploaded PDF cannot be found', 'NOT_FOUND', undefined);
      return stored;
    });
    return {
      contentVersionId: version.Id,
      contentDocumentId: version.ContentDocumentId,
      versionNumber: String(version.VersionNumber),
    };
  }
}
