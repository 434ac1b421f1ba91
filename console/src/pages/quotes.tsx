import { api, call } from '../api/client';
import { type Directory, loadDirectory, personName } from '../lib/directory';
import { money } from '../lib/money';
import { href } from '../lib/route';
import { Loading, useLoad } from '../ui/feedback';
import { formatDateTime } from '../ui/format';
import { ListPageHeader, Pager } from '../ui/list-page';
import { PageError } from '../ui/page-error';
import { TableWrap } from '../ui/table-wrap';

/** The site's quotes, a page at a time. */
const PAGE_SIZE = 25;

export function QuotesPage({ siteId, nextToken }: { siteId: string; nextToken?: string | undefined }) {
  const loaded = useLoad(async () => {
    const [page, directory] = await Promise.all([
      call(
        api.GET('/sites/{siteId}/quotes', {
          params: { path: { siteId }, query: { limit: PAGE_SIZE, ...(nextToken ? { nextToken } : {}) } },
        }),
      ),
      loadDirectory(siteId),
    ]);
    return { page, directory };
  }, [siteId, nextToken]);
  return (
    <div class="page">
      <ListPageHeader
        title="Quotes"
        lead="Opportunities that reached the stage, as quotes to build the price proposal on."
        loaded={loaded}
      />
      {loaded.state === 'loading' && <Loading what="quotes" />}
      {loaded.state === 'failed' && <PageError error={loaded.error} siteId={siteId} />}
      {loaded.state === 'ready' && (
        <QuoteTable
          siteId={siteId}
          quotes={loaded.data.page.quotes}
          directory={loaded.data.directory}
          nextToken={loaded.data.page.nextToken}
          first={!nextToken}
        />
      )}
    </div>
  );
}

function QuoteTable({
  siteId,
  quotes,
  directory,
  nextToken,
  first,
}: {
  siteId: string;
  quotes: import('../api/types').Quote[];
  directory: Directory;
  nextToken: string | undefined;
  first: boolean;
}) {
  if (quotes.length === 0)
    return (
      <div class="card card-body">
        <p class="empty">
          No quotes yet. An opportunity that reaches the stage chosen under{' '}
          <a href={href({ page: 'salesforce', siteId })}>Integrations → Salesforce</a> becomes one within
          seconds.
        </p>
      </div>
    );
  return (
    <div class="card">
      <TableWrap label="Quotes">
        <table>
          <caption class="visually-hidden">Quotes</caption>
          <thead>
            <tr>
              <th scope="col" class="number">
                No.
              </th>
              <th scope="col">Title</th>
              <th scope="col">Company</th>
              <th scope="col">Person</th>
              <th scope="col">Status</th>
              <th scope="col" class="number">
                Total
              </th>
              <th scope="col">Last synced</th>
            </tr>
          </thead>
          <tbody>
            {quotes.map((quote) => (
              <tr key={quote.quoteId}>
                <td class="number">{quote.number}</td>
                <td>
                  <a href={href({ page: 'quote', siteId, quoteId: quote.quoteId })}>{quote.title}</a>
                </td>
                <td>{(quote.companyId && directory.companies.get(quote.companyId)?.name) ?? '—'}</td>
                <td>{(quote.personId && personName(directory.persons.get(quote.personId))) || '—'}</td>
                <td>
                  <StatusBadge status={quote.status} />
                </td>
                <td class="number">
                  {quote.totals
                    ? money(quote.totals.total, quote.totals.currency)
                    : money(quote.opportunityAmount, quote.currency)}
                </td>
                <td class="nowrap">{formatDateTime(quote.salesforce.lastSyncedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <Pager
        firstHref={first ? undefined : href({ page: 'quotes', siteId })}
        nextHref={nextToken ? href({ page: 'quotes', siteId, nextToken }) : undefined}
        count={quotes.length}
        noun="quote"
      />
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const kind: Record<string, string> = { Accepted: 'ok', Rejected: 'bad', Sent: 'info', Ready: 'info' };
  return <span class={`badge ${kind[status] ?? ''}`}>{status}</span>;
}
