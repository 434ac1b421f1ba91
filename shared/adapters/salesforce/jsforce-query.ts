import type { Connection } from 'jsforce/core';
import type { QueryPage, SalesforceQuery } from '../../ports/sync-runs';
import { JsforceOrg, salesforceError } from './jsforce-org';

/** Records per page: Salesforce's largest query batch, so a 10,000-record run is five calls. */
export const QUERY_BATCH_SIZE = 2000;

/**
 * Paged SOQL through jsforce, one REST call per page: autoFetch is off, so the next page is
 * fetched only when its message is processed.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 */
export class JsforceQuery implements SalesforceQuery {
  constructor(
    private readonly connect: (siteId: string) => Promise<Connection>,
    private readonly batchSize: number = QUERY_BATCH_SIZE,
  ) {}

  async firstPage(
    siteId: string,
    soql: string,
    options: { includeDeleted?: boolean } = {},
  ): Promise<QueryPage> {
    const connection = await this.connect(siteId);
    try {
      const result = await connection.query(soql, {
        autoFetch: false,
        // jsforce sends a scanAll query to /queryAll.
        scanAll: options.includeDeleted === true,
        headers: { 'Sforce-Query-Options': `batchSize=${this.batchSize}` },
      });
      return page(result);
    } catch (error) {
      throw salesforceError('Querying Salesforce failed', error, connection);
    }
  }

  async nextPage(siteId: string, locator: string): Promise<QueryPage> {
    const connection = await this.connect(siteId);
    try {
      const result = await connection.queryMore(locator, {
        autoFetch: false,
        headers: { 'Sforce-Query-Options': `batchSize=${this.batchSize}` },
        maxFetch: this.batchSize,
        scanAll: false,
        responseTarget: 'QueryResult',
      });
      return page(result);
    } catch (error) {
      throw salesforceError('Fetching the next page from Salesforce failed', error, connection);
    }
  }

  async describeFields(siteId: string, sObjectType: string) {
    return new JsforceOrg(await this.connect(siteId)).describe(sObjectType);
  }
}

function page(result: { records: unknown[]; totalSize: number; nextRecordsUrl?: string }): QueryPage {
  return {
    records: result.records as Array<Record<string, unknown>>,
    totalSize: result.totalSize,
    ...(result.nextRecordsUrl ? { nextRecordsUrl: result.nextRecordsUrl } : {}),
  };
}
