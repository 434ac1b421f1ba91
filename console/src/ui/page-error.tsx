import type { ApiError } from '../api/client';
import { Banner, ErrorText } from './feedback';

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
