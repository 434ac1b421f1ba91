export function SalesforcePage({ siteId }: { siteId: string }) {
  return (
    <div class="page">
      <h1 tabIndex={-1}>Salesforce</h1>
      <p>{siteId}</p>
    </div>
  );
}
