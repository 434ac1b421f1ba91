export function QuotePage({ quoteId }: { siteId: string; quoteId: string }) {
  return (
    <div class="page">
      <h1 tabIndex={-1}>Quote</h1>
      <p>{quoteId}</p>
    </div>
  );
}
