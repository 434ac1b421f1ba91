export function SyncHealthPage({ siteId }: { siteId: string; opportunityId?: string | undefined }) {
  return (
    <div class="page">
      <h1 tabIndex={-1}>Sync health</h1>
      <p>{siteId}</p>
    </div>
  );
}
