import type { ApiError } from '../api/client';
import { Banner, ErrorText, Loading } from './feedback';

/** A page that could not load: a refusal (403) and a missing site (404) say so plainly. */
export function PageError({ error, siteId }: { error: ApiError; siteId: string }) {
  if (error.status === 403)
    return (
      <Banner kind="error" title="No access">
        {error.message}
      </Banner>
    );
  if (error.status === 404)
    return (
      <Banner kind="error" title={`Not found in site ${siteId}`}>
        {error.message}
      </Banner>
    );
  return (
    <Banner kind="error" title="The page could not be loaded">
      <ErrorText error={error} />
    </Banner>
  );
}

/** A record's page while it loads, or when it could not: its kind as the title, then a spinner or the error. */
export function UnloadedPage({
  title,
  what,
  loaded,
  siteId,
}: {
  title: string;
  /** As in "Loading the quote…". */
  what: string;
  loaded: { state: 'loading' } | { state: 'failed'; error: ApiError };
  siteId: string;
}) {
  return (
    <div class="page">
      <h1 tabIndex={-1}>{title}</h1>
      {loaded.state === 'loading' ? (
        <Loading what={what} />
      ) : (
        <PageError error={loaded.error} siteId={siteId} />
      )}
    </div>
  );
}
