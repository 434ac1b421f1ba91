import { useEffect, useRef, useState } from 'preact/hooks';
import { api, apiError } from '../api/client';
import { type ActionState, asApiError, Outcome } from './feedback';

/** The quote's PDF as the API renders it, drawn in the page. `version` changes re-render it. */
export function PdfPreview({
  siteId,
  quoteId,
  version,
}: {
  siteId: string;
  quoteId: string;
  version: string;
}) {
  const pages = useRef<HTMLElement>(null);
  const [status, setStatus] = useState<ActionState>({ state: 'busy', label: 'Rendering the PDF' });
  useEffect(() => {
    let current = true;
    setStatus({ state: 'busy', label: 'Rendering the PDF' });
    (async () => {
      const answer = await api.GET('/sites/{siteId}/quotes/{quoteId}/pdf', {
        params: { path: { siteId, quoteId } },
        parseAs: 'arrayBuffer',
      });
      if (!answer.response.ok || !(answer.data instanceof ArrayBuffer))
        throw apiError(answer.response.status, answer.error);
      const { renderPdf } = await import('../lib/pdf-render');
      if (!current || !pages.current) return;
      const count = await renderPdf(answer.data, pages.current, 'Quote PDF');
      if (current) setStatus({ state: 'done', message: `${count} page${count === 1 ? '' : 's'}` });
    })().catch((error: unknown) => current && setStatus({ state: 'failed', error: asApiError(error) }));
    return () => {
      current = false;
    };
  }, [siteId, quoteId, version]);
  return (
    <div>
      <Outcome status={status} />
      {/* Scrolls when the pages are taller than the view: focusable, so the keyboard scrolls it too. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard */}
      <section class="pdf-preview" ref={pages} aria-label="Quote PDF pages" tabIndex={0} />
    </div>
  );
}
