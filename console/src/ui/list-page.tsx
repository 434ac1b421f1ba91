import type { ComponentChildren } from 'preact';

/** A list page's title, what the list holds, and Refresh (which keeps the list shown while it reloads). */
export function ListPageHeader({
  title,
  lead,
  loaded,
}: {
  title: string;
  lead: ComponentChildren;
  loaded: { refreshing: boolean; reload: () => void };
}) {
  return (
    <div class="page-header">
      <div>
        <h1 tabIndex={-1}>{title}</h1>
        <p class="lead">{lead}</p>
      </div>
      <button type="button" class="button" disabled={loaded.refreshing} onClick={loaded.reload}>
        {loaded.refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  );
}

/** Below a paged list: back to the first page, on to the next, and how many this page shows. */
export function Pager({
  firstHref,
  nextHref,
  count,
  noun,
}: {
  /** Absent on the first page. */
  firstHref: string | undefined;
  /** Absent on the last page. */
  nextHref: string | undefined;
  count: number;
  /** Singular; an `s` makes the plural. */
  noun: string;
}) {
  return (
    <nav class="pager card-body" aria-label="Pages">
      {firstHref && (
        <a class="button" href={firstHref}>
          First page
        </a>
      )}
      {nextHref && (
        <a class="button" href={nextHref}>
          Next page
        </a>
      )}
      <span class="muted">
        {count} {noun}
        {count === 1 ? '' : 's'} on this page
      </span>
    </nav>
  );
}
