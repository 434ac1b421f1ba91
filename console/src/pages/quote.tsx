import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { QUOTE_STATUS_FOR_PROJECT } from '../../../shared/domain/project-vocabulary';
import { ApiError, api, apiError, call } from '../api/client';
import type { Quote, QuoteSend } from '../api/types';
import { useAccess } from '../lib/app-context';
import { type Directory, loadDirectory, personName } from '../lib/directory';
import { checkRows, type LineRow, moveRow, rowOf } from '../lib/lines';
import { money } from '../lib/money';
import { href, navigate } from '../lib/route';
import { Banner, Outcome, useAction, useLoad } from '../ui/feedback';
import { Section } from '../ui/form';
import { formatDate, formatDateTime } from '../ui/format';
import { UnloadedPage } from '../ui/page-error';
import { PdfPreview } from '../ui/pdf-preview';
import { TableWrap } from '../ui/table-wrap';
import { StatusBadge } from './quotes';

/**
 * One quote: its Salesforce opportunity, company and person, the lines editor with live totals,
 * its status, the PDF preview, Salesforce actions → Send to Salesforce and the earlier sends.
 */
const STATUSES: Quote['status'][] = ['Scoping', 'Draft', 'Ready', 'Sent', 'Accepted', 'Rejected'];

export function QuotePage({ siteId, quoteId }: { siteId: string; quoteId: string }) {
  const loaded = useLoad(async () => {
    const path = { siteId };
    const [quote, directory, instanceUrl] = await Promise.all([
      call(api.GET('/sites/{siteId}/quotes/{quoteId}', { params: { path: { siteId, quoteId } } })),
      loadDirectory(siteId),
      // The opportunity's link needs the org's instance; without it the id is still shown.
      call(api.GET('/sites/{siteId}/salesforce', { params: { path } })).then(
        (status) =>
          status.connection.status === 'not-connected' ? undefined : status.connection.instanceUrl,
        () => undefined,
      ),
    ]);
    return { quote, directory, instanceUrl };
  }, [siteId, quoteId]);
  if (loaded.state !== 'ready')
    return <UnloadedPage title="Quote" what="the quote" loaded={loaded} siteId={siteId} />;
  return (
    <QuoteView
      siteId={siteId}
      initial={loaded.data.quote}
      directory={loaded.data.directory}
      instanceUrl={loaded.data.instanceUrl}
    />
  );
}

function QuoteView({
  siteId,
  initial,
  directory,
  instanceUrl,
}: {
  siteId: string;
  initial: Quote;
  directory: Directory;
  instanceUrl: string | undefined;
}) {
  const [quote, setQuote] = useState(initial);
  const company = quote.companyId ? directory.companies.get(quote.companyId) : undefined;
  const person = quote.personId ? directory.persons.get(quote.personId) : undefined;
  const opportunityId = quote.salesforce.opportunityId;
  const opportunityUrl = instanceUrl
    ? `${instanceUrl.replace(/\/$/, '')}/lightning/r/Opportunity/${opportunityId}/view`
    : undefined;
  return (
    <div class="page">
      <div class="page-header">
        <div>
          <p class="breadcrumb">
            <a href={href({ page: 'quotes', siteId })}>Quotes</a> / No. {quote.number}
          </p>
          <h1 tabIndex={-1}>{quote.title}</h1>
          <p class="lead">
            <StatusBadge status={quote.status} /> Last synced from Salesforce{' '}
            {formatDateTime(quote.salesforce.lastSyncedAt)}
          </p>
        </div>
        <div class="quote-actions">
          <ProjectAction siteId={siteId} quote={quote} />
          <SalesforceActions siteId={siteId} quote={quote} onSent={setQuote} />
        </div>
      </div>
      {quote.productsChanged && (
        <Banner kind="warning" title="Products changed in Salesforce">
          {quote.productsChanged.message} (seen {formatDateTime(quote.productsChanged.detectedAt)}).
        </Banner>
      )}
      <Section id="details" title="Details">
        <dl class="facts">
          <dt>Salesforce opportunity</dt>
          <dd>
            {opportunityUrl ? (
              <a href={opportunityUrl} target="_blank" rel="noopener noreferrer">
                {opportunityId}
              </a>
            ) : (
              <code>{opportunityId}</code>
            )}
          </dd>
          <dt>Company</dt>
          <dd>{company?.name ?? '—'}</dd>
          <dt>Person</dt>
          <dd>
            {personName(person) || '—'}
            {person?.email && <span class="muted"> ({person.email})</span>}
          </dd>
          <dt>Opportunity amount</dt>
          <dd>{money(quote.opportunityAmount, quote.currency)}</dd>
          <dt>Close date</dt>
          <dd>{formatDate(quote.closeDate)}</dd>
          <dt>Description</dt>
          <dd class="prewrap">{quote.description ?? '—'}</dd>
        </dl>
        <StatusForm siteId={siteId} quote={quote} onChanged={setQuote} />
      </Section>
      <LinesEditor siteId={siteId} quote={quote} onSaved={setQuote} />
      <SendHistory sends={quote.sends ?? []} currency={quote.currency} />
      <Section id="pdf" title="PDF preview" description="The document Send to Salesforce attaches.">
        <PdfPreview siteId={siteId} quoteId={quote.quoteId} version={quote.updatedAt} />
      </Section>
    </div>
  );
}

function StatusForm({
  siteId,
  quote,
  onChanged,
}: {
  siteId: string;
  quote: Quote;
  onChanged: (quote: Quote) => void;
}) {
  const change = useAction();
  return (
    <div class="inline-field">
      <label class="inline-label" for="quote-status">
        Status
      </label>
      <select
        id="quote-status"
        value={quote.status}
        disabled={change.busy}
        onChange={(event) => {
          const status = event.currentTarget.value as Quote['status'];
          void change.run(
            'Saving the status',
            async () => {
              const updated = await call(
                api.PATCH('/sites/{siteId}/quotes/{quoteId}', {
                  params: { path: { siteId, quoteId: quote.quoteId } },
                  body: { status },
                }),
              );
              onChanged(updated);
            },
            () => `Status is now ${status}.`,
          );
        }}
      >
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {status}
          </option>
        ))}
      </select>
      <Outcome status={change.status} />
    </div>
  );
}

/** Lines compared by content, whatever the order of their keys. */
function linesKey(lines: ReadonlyArray<Record<string, unknown>>): string {
  return JSON.stringify(lines.map((line) => Object.entries(line).sort(([a], [b]) => a.localeCompare(b))));
}

const LINE_FIELDS = [
  { field: 'name', label: 'Name', kind: 'text' },
  { field: 'description', label: 'Description', kind: 'text' },
  { field: 'quantity', label: 'Quantity', kind: 'decimal' },
  { field: 'unit', label: 'Unit', kind: 'text' },
  { field: 'unitPrice', label: 'Unit price', kind: 'decimal' },
  { field: 'discountPercent', label: 'Discount %', kind: 'decimal' },
  { field: 'vatPercent', label: 'VAT %', kind: 'decimal' },
] as const;

function LinesEditor({
  siteId,
  quote,
  onSaved,
}: {
  siteId: string;
  quote: Quote;
  onSaved: (quote: Quote) => void;
}) {
  const [rows, setRows] = useState<LineRow[]>(() => quote.lines.map(rowOf));
  const [savedRows, setSavedRows] = useState(() => linesKey(quote.lines));
  const [touched, setTouched] = useState(false);
  const save = useAction();
  const currency = quote.currency ?? quote.totals?.currency ?? 'EUR';
  const checked = useMemo(() => checkRows(rows, currency), [rows, currency]);
  const serverIssues =
    save.status.state === 'failed'
      ? new Map(save.status.error.issues.map((i) => [i.path, i.message]))
      : new Map<string, string>();
  const problem = (index: number, field: string) =>
    serverIssues.get(`lines.${index}.${field}`) ??
    (touched ? checked.problems.get(`lines.${index}.${field}`) : undefined);
  const update = (index: number, field: keyof LineRow, value: string) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  const dirty = checked.lines ? linesKey(checked.lines) !== savedRows : true;
  const { totals } = checked;
  return (
    <Section
      id="lines"
      title="Lines"
      description={`Amounts in ${currency}. Each line is rounded half up to the currency's minor unit; the totals are the sums of the rounded lines.`}
      actions={
        <button type="button" class="button" onClick={() => setRows((current) => [...current, rowOf()])}>
          Add line
        </button>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          void save.run(
            'Saving the lines',
            async () => {
              if (!checked.lines)
                throw new ApiError(0, 'Some lines are not valid yet: see the marked cells.');
              const updated = await call(
                api.PUT('/sites/{siteId}/quotes/{quoteId}/lines', {
                  params: { path: { siteId, quoteId: quote.quoteId } },
                  body: { lines: checked.lines },
                }),
              );
              setSavedRows(linesKey(updated.lines));
              onSaved(updated);
              return updated;
            },
            (updated) => `Saved. Total ${money(updated.totals?.total, updated.totals?.currency)}.`,
          );
        }}
      >
        {rows.length === 0 ? (
          <p class="empty">No lines yet. Add the work and products this quote prices.</p>
        ) : (
          <TableWrap label="Quote lines">
            <table class="lines-table">
              <caption class="visually-hidden">Quote lines</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  {LINE_FIELDS.map((column) => (
                    <th
                      scope="col"
                      key={column.field}
                      class={column.kind === 'decimal' ? 'number' : undefined}
                    >
                      {column.label}
                    </th>
                  ))}
                  <th scope="col" class="number">
                    Net
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, index) => (
                  <tr key={row.rowId}>
                    <td class="muted">{index + 1}</td>
                    {LINE_FIELDS.map((column) => {
                      const error = problem(index, column.field);
                      const id = `line-${row.rowId}-${column.field}`;
                      return (
                        <td key={column.field} class={`cell-${column.field}`}>
                          <input
                            id={id}
                            type="text"
                            inputMode={column.kind === 'decimal' ? 'decimal' : undefined}
                            class={column.kind === 'decimal' ? 'number' : undefined}
                            aria-label={`${column.label}, line ${index + 1}`}
                            value={row[column.field]}
                            aria-invalid={error ? 'true' : undefined}
                            aria-describedby={error ? `${id}-error` : undefined}
                            onInput={(event) => update(index, column.field, event.currentTarget.value)}
                            onBlur={() => setTouched(true)}
                          />
                          {error && (
                            <p class="field-error" id={`${id}-error`}>
                              {error}
                            </p>
                          )}
                        </td>
                      );
                    })}
                    <td class="number">{money(totals.lines[index]?.net, currency)}</td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="icon-button"
                        aria-label={`Move line ${index + 1} up`}
                        disabled={index === 0}
                        onClick={() => setRows((current) => moveRow(current, index, -1))}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        class="icon-button"
                        aria-label={`Move line ${index + 1} down`}
                        disabled={index === rows.length - 1}
                        onClick={() => setRows((current) => moveRow(current, index, 1))}
                      >
                        ↓
                      </button>
                      <button
                        type="button"
                        class="icon-button danger"
                        aria-label={`Remove line ${index + 1}`}
                        onClick={() => setRows((current) => current.filter((_, i) => i !== index))}
                      >
                        ✕
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <div class="totals" aria-live="polite" data-testid="totals">
          <div>
            <span>Subtotal</span>
            <span>{money(totals.subtotal, currency)}</span>
          </div>
          <div>
            <span>Discount</span>
            <span>{money(totals.discount, currency)}</span>
          </div>
          <div>
            <span>Net</span>
            <span data-total="net">{money(totals.net, currency)}</span>
          </div>
          {totals.vatBreakdown.map((entry) => (
            <div key={entry.rate}>
              <span>VAT {entry.rate}%</span>
              <span>{money(entry.vat, currency)}</span>
            </div>
          ))}
          <div class="grand">
            <span>Total</span>
            <span data-total="total">{money(totals.total, currency)}</span>
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="button primary" disabled={save.busy}>
            Save lines
          </button>
          {dirty && save.status.state !== 'busy' && <span class="muted">Unsaved changes</span>}
          <Outcome status={save.status} />
        </div>
      </form>
    </Section>
  );
}

/** Salesforce actions → Send to Salesforce, with its outcome: the amount read back and the file, or why not. */
function SalesforceActions({
  siteId,
  quote,
  onSent,
}: {
  siteId: string;
  quote: Quote;
  onSent: (quote: Quote) => void;
}) {
  const send = useAction();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  // An open menu closes on Escape (the focus goes back to its button) and on a click or focus elsewhere.
  useEffect(() => {
    if (!open) return;
    const outside = (event: Event) => {
      if (event.target instanceof Node && !wrap.current?.contains(event.target)) setOpen(false);
    };
    const onEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('keydown', onEscape);
    document.addEventListener('focusin', outside);
    document.addEventListener('mousedown', outside);
    return () => {
      document.removeEventListener('keydown', onEscape);
      document.removeEventListener('focusin', outside);
      document.removeEventListener('mousedown', outside);
    };
  }, [open]);
  const access = useAccess();
  // Users may send only while push-back is on; admins are told by the API how to turn it on.
  const allowed = access.isAdmin(siteId) || access.site(siteId)?.pushBack === true;
  const [last, setLast] = useState<QuoteSend>();
  return (
    <div class="menu-wrap" ref={wrap}>
      <button
        type="button"
        class="button"
        ref={toggle}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls="salesforce-actions"
        onClick={() => setOpen(!open)}
      >
        Salesforce actions ▾
      </button>
      {open && (
        <div class="menu" id="salesforce-actions">
          {!allowed && (
            <p class="menu-note" id="send-disabled-reason">
              "Sync quoted sum back to Salesforce" is disabled for this site: an admin can enable it under
              Integrations → Salesforce.
            </p>
          )}
          <button
            type="button"
            class="menu-item"
            disabled={send.busy || !allowed}
            aria-describedby={allowed ? undefined : 'send-disabled-reason'}
            onClick={() => {
              setOpen(false);
              void send.run(
                'Sending to Salesforce',
                async () => {
                  const answer = await api.POST('/sites/{siteId}/quotes/{quoteId}/send-to-salesforce', {
                    params: {
                      path: { siteId, quoteId: quote.quoteId },
                      header: { 'idempotency-key': crypto.randomUUID() },
                    },
                  });
                  // A 409 with a send: Salesforce kept its own Amount (the PDF went); any other 409 is a refusal.
                  const body = (answer.data ?? answer.error) as { send?: QuoteSend } | undefined;
                  const sent = body && 'send' in body ? body.send : undefined;
                  const updated = await call(
                    api.GET('/sites/{siteId}/quotes/{quoteId}', {
                      params: { path: { siteId, quoteId: quote.quoteId } },
                    }),
                  );
                  onSent(updated);
                  if (!sent) throw apiError(answer.response.status, answer.error);
                  setLast(sent);
                  if (sent.outcome !== 'sent') throw new ApiError(answer.response.status, sent.message);
                  return sent;
                },
                (sent) =>
                  `Sent. Amount in Salesforce: ${money(sent.opportunityAmount ?? sent.amount, quote.currency)}; ${fileOutcome(sent)}.`,
              );
            }}
          >
            Send to Salesforce
          </button>
        </div>
      )}
      <div class="send-outcome">
        <Outcome status={send.status} />
        {last && last.outcome !== 'sent' && last.contentVersionId && (
          <p class="hint">The PDF was attached (file version {last.fileVersion ?? '—'}).</p>
        )}
      </div>
    </div>
  );
}

/**
 * An Accepted quote with lines becomes a project (one task per line); once it is one, the quote
 * links to it. Otherwise the button stays, disabled, with the reason beside it.
 */
function ProjectAction({ siteId, quote }: { siteId: string; quote: Quote }) {
  const create = useAction();
  if (quote.projectId)
    return (
      <a class="button" href={href({ page: 'project', siteId, projectId: quote.projectId })}>
        Open project
      </a>
    );
  const reason =
    quote.status !== QUOTE_STATUS_FOR_PROJECT
      ? `Only an ${QUOTE_STATUS_FOR_PROJECT} quote becomes a project; this one is ${quote.status}.`
      : quote.lines.length === 0
        ? 'A quote without lines has no tasks to plan: save its lines first.'
        : undefined;
  return (
    <div class="project-action">
      <button
        type="button"
        class="button primary"
        disabled={reason !== undefined || create.busy}
        aria-describedby={reason ? 'create-project-reason' : undefined}
        onClick={() =>
          void create.run('Creating the project', async () => {
            const project = await call(
              api.POST('/sites/{siteId}/quotes/{quoteId}/project', {
                params: { path: { siteId, quoteId: quote.quoteId } },
              }),
            );
            navigate({ page: 'project', siteId, projectId: project.projectId });
          })
        }
      >
        Create project
      </button>
      {reason ? (
        <p class="hint" id="create-project-reason">
          {reason}
        </p>
      ) : (
        <Outcome status={create.status} />
      )}
    </div>
  );
}

/** What became of the PDF in Salesforce's Notes & Attachments. */
function fileOutcome(send: QuoteSend): string {
  if (send.upload === 'unchanged')
    return `the PDF is unchanged, so file version ${send.fileVersion ?? '—'} stays the latest`;
  return `PDF version ${send.pdfVersion ?? '—'} attached as file version ${send.fileVersion ?? '—'}`;
}

function SendHistory({ sends, currency }: { sends: QuoteSend[]; currency: string | null }) {
  return (
    <Section
      id="sends"
      title="Sent to Salesforce"
      description="Every Send to Salesforce of this quote, newest first."
    >
      {sends.length === 0 ? (
        <p class="empty">Not sent yet.</p>
      ) : (
        <TableWrap label="Sends to Salesforce">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Outcome</th>
                <th scope="col" class="number">
                  Quoted sum
                </th>
                <th scope="col" class="number">
                  Amount in Salesforce
                </th>
                <th scope="col">File</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {[...sends].reverse().map((send) => (
                <tr key={send.sendId}>
                  <td class="nowrap">{formatDateTime(send.at)}</td>
                  <td>
                    <span
                      class={`badge ${send.outcome === 'sent' ? 'ok' : send.outcome === 'failed' ? 'bad' : 'warn'}`}
                    >
                      {send.outcome === 'sent'
                        ? 'Sent'
                        : send.outcome === 'failed'
                          ? 'Failed'
                          : 'Amount read-only'}
                    </span>
                  </td>
                  <td class="number">{money(send.amount, currency)}</td>
                  <td class="number">{money(send.opportunityAmount, currency)}</td>
                  <td>
                    {send.fileVersion ? `Version ${send.fileVersion}` : '—'}
                    {send.upload === 'unchanged' && <span class="muted"> (unchanged)</span>}
                    {send.pdfVersion !== undefined && <span class="muted"> (PDF {send.pdfVersion})</span>}
                  </td>
                  <td>{send.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Section>
  );
}
