import type { Connection } from 'jsforce/core';
import type { OpportunityProduct } from '../../domain/opportunity-products';
import { apiNameSchema } from '../../domain/outbound-message';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id';
import type {
  AccountsAndContacts,
  OpportunityContacts,
  SalesforceFieldValues,
  SalesforceRecordReader,
  SalesforceRecordReaders,
} from '../../ports/salesforce';
import type { ConnectedOrgs } from './connected-orgs';
import { JsforceOrg, salesforceError } from './jsforce-org';

/**
 * Reads what the sync worker needs in at most two SOQL queries, whatever the number of
 * notifications: the accounts by Id IN (…), and the opportunities by Id IN (…) with their first
 * contact role (primary first) as a child subquery limited to one row and, when asked, their
 * products as a second child subquery, so the answer holds one row per opportunity.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_using.htm
 *
 * Ids and field names are validated (alphanumeric ids, API names) before they go into the query
 * text, so nothing can break out of the quotes. Each query is a GET of a few kilobytes: 100 ids
 * take about 2.7 KB of URL, far from Salesforce's limits (16 KB of URI, 100,000 characters of SOQL).
 */
const MAX_IDS_PER_QUERY = 300;

function idList(ids: readonly string[]): string {
  return ids
    .map((id) => {
      if (!isSalesforceId(id)) throw new TypeError(`Not a Salesforce id: ${JSON.stringify(id)}`);
      return `'${id}'`;
    })
    .join(',');
}

function fieldList(fields: readonly string[], prefix = ''): string[] {
  return fields.map((field) => {
    if (!apiNameSchema.safeParse(field).success) throw new TypeError(`Not a field name: ${field}`);
    return `${prefix}${field}`;
  });
}

function unique(names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type Row = Record<string, unknown>;

/** A record's scalar fields as text, the way an outbound message would carry them. */
function asText(row: Row): SalesforceFieldValues & { Id: string } {
  const out: SalesforceFieldValues = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'attributes') continue;
    if (value === null || value === undefined) out[key] = null;
    else if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
  }
  return { ...out, Id: toId18(String(row.Id ?? '')) };
}

/**
 * The opportunity's products, as a child subquery of the opportunity query: the product's own
 * name (the line's Name is the opportunity's and the product's joined), code, the line's
 * description, quantity, sales price and discount, in the order people sorted them.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunitylineitem.htm
 */
const PRODUCTS =
  '(SELECT Id, Product2.Name, ProductCode, Description, Quantity, UnitPrice, Discount ' +
  'FROM OpportunityLineItems ORDER BY SortOrder NULLS LAST, CreatedDate ASC)';

const text = (value: unknown) =>
  value === null || value === undefined ? null : typeof value === 'object' ? null : String(value);

export class JsforceRecordReader implements SalesforceRecordReader {
  constructor(private readonly connection: Connection) {}

  apiUsage(): Promise<{ used: number; limit: number }> {
    return new JsforceOrg(this.connection).apiUsage();
  }

  private async queryAll(soql: string, what: string): Promise<Row[]> {
    try {
      const result = await this.connection.query<Row>(soql);
      const rows = [...result.records];
      let next = result.done ? undefined : result.nextRecordsUrl;
      while (next) {
        const more = await this.connection.queryMore<Row>(next);
        rows.push(...more.records);
        next = more.done ? undefined : more.nextRecordsUrl;
      }
      return rows;
    } catch (error) {
      throw salesforceError(what, error, this.connection);
    }
  }

  /**
   * A child set Salesforce cut short (it pages large ones with its own nextRecordsUrl) is read to
   * its end; an opportunity's products fit in the first page but for the largest deals.
   */
  private async products(row: Row): Promise<OpportunityProduct[]> {
    const set = row.OpportunityLineItems as {
      records?: Row[];
      done?: boolean;
      nextRecordsUrl?: string;
    } | null;
    const rows = [...(set?.records ?? [])];
    let next = set && set.done === false ? set.nextRecordsUrl : undefined;
    while (next) {
      const more = await this.connection.queryMore<Row>(next).catch((error: unknown) => {
        throw salesforceError('Reading opportunity products', error, this.connection);
      });
      rows.push(...more.records);
      next = more.done ? undefined : more.nextRecordsUrl;
    }
    return rows.map((line) => ({
      id: toId18(String(line.Id ?? '')),
      name: text((line.Product2 as Row | null | undefined)?.Name),
      productCode: text(line.ProductCode),
      description: text(line.Description),
      quantity: text(line.Quantity),
      unitPrice: text(line.UnitPrice),
      discount: text(line.Discount),
    }));
  }

  async fetchAccountsAndPrimaryContacts(request: {
    accountIds: readonly string[];
    accountFields: readonly string[];
    opportunityIds: readonly string[];
    contactFields: readonly string[];
    contacts?: boolean;
    products?: boolean;
  }): Promise<AccountsAndContacts> {
    const withContacts = request.contacts ?? true;
    const withProducts = request.products ?? false;
    const accountIds = [...new Set(request.accountIds.map(toId18))];
    const opportunityIds = [...new Set(request.opportunityIds.map(toId18))];
    const accountSelect = unique(['Id', 'SystemModstamp', ...fieldList(request.accountFields)]).join(', ');
    const contactSelect = unique([
      'Contact.Id',
      'Contact.SystemModstamp',
      'Contact.AccountId',
      ...fieldList(request.contactFields, 'Contact.'),
    ]).join(', ');

    const contactRoles =
      `(SELECT ContactId, IsPrimary, ${contactSelect} FROM OpportunityContactRoles ` +
      'ORDER BY IsPrimary DESC, CreatedDate ASC LIMIT 1)';
    const [accountRows, opportunityRows] = await Promise.all([
      Promise.all(
        chunks(accountIds, MAX_IDS_PER_QUERY).map((ids) =>
          this.queryAll(
            `SELECT ${accountSelect} FROM Account WHERE Id IN (${idList(ids)})`,
            'Reading accounts',
          ),
        ),
      ),
      Promise.all(
        chunks(opportunityIds, MAX_IDS_PER_QUERY).map((ids) =>
          this.queryAll(
            `SELECT ${['Id', ...(withContacts ? [contactRoles] : []), ...(withProducts ? [PRODUCTS] : [])].join(', ')} ` +
              `FROM Opportunity WHERE Id IN (${idList(ids)})`,
            'Reading opportunity contact roles and products',
          ),
        ),
      ),
    ]);

    const accounts = new Map<string, SalesforceFieldValues & { Id: string }>();
    for (const row of accountRows.flat()) {
      const account = asText(row);
      accounts.set(account.Id, account);
    }
    if (opportunityIds.length === 0) return { accounts };

    const opportunities = new Map<string, OpportunityContacts>();
    for (const row of opportunityRows.flat()) {
      const roles = row.OpportunityContactRoles as { records?: Row[] } | null | undefined;
      const contact = roles?.records?.[0]?.Contact as Row | null | undefined;
      opportunities.set(toId18(String(row.Id ?? '')), {
        ...(contact && typeof contact.Id === 'string' ? { primaryContact: asText(contact) } : {}),
        ...(withProducts ? { products: await this.products(row) } : {}),
      });
    }
    return { accounts, opportunities };
  }
}

/** Readers over the connected orgs; the connection (and its token refresh) is ConnectedOrgs'. */
export class JsforceRecordReaders implements SalesforceRecordReaders {
  constructor(private readonly orgs: ConnectedOrgs) {}

  async forSite(siteId: string): Promise<SalesforceRecordReader> {
    return new JsforceRecordReader(await this.orgs.connection(siteId));
  }

  settle(): Promise<void> {
    return this.orgs.settle();
  }
}
