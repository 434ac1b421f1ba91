export function QuotesPage({ siteId }: { siteId: string; nextToken?: string | undefined }) {
  return (
    <div class="page">
      <h1 tabIndex={-1}>Quotes</h1>
      <p>{siteId}</p>
    </div>
  );
}
