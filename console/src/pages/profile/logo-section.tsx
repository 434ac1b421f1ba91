import { useEffect, useState } from 'preact/hooks';
import { apiError, authorizedFetch } from '../../api/client';
import type { components } from '../../api/openapi';
import { Outcome, useAction } from '../../ui/feedback';
import { Field, Section } from '../../ui/form';

type Logo = NonNullable<components['schemas']['SiteProfile']['logo']>;

const logoPath = (siteId: string) => `/sites/${encodeURIComponent(siteId)}/profile/logo`;

async function answerOf(response: Response): Promise<void> {
  if (response.ok) return;
  throw apiError(response.status, await response.json().catch(() => undefined));
}

/** The stored logo as an object URL (the image route needs the bearer header, which an <img> cannot send). */
function useLogoUrl(siteId: string, logo: Logo | null): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!logo) return setUrl(undefined);
    let current: string | undefined;
    let live = true;
    void authorizedFetch(logoPath(siteId)).then(async (response) => {
      if (!live || !response.ok) return;
      current = URL.createObjectURL(await response.blob());
      setUrl(current);
    });
    return () => {
      live = false;
      if (current) URL.revokeObjectURL(current);
    };
  }, [siteId, logo?.sha256]);
  return url;
}

/** The logo at the top of every quote: shown as stored, replaced by an upload, or removed. */
export function LogoSection({
  siteId,
  logo,
  onChanged,
}: {
  siteId: string;
  logo: Logo | null;
  onChanged: () => void;
}) {
  const [file, setFile] = useState<File>();
  // A new key empties the file input once its file is uploaded.
  const [uploads, setUploads] = useState(0);
  const action = useAction();
  const url = useLogoUrl(siteId, logo);
  return (
    <Section
      id="logo"
      title="Logo"
      description="Printed at the top left of every quote, scaled to fit. A PNG or JPEG of at most 1 MB; what the file is comes from its content, not its name."
    >
      {logo ? (
        <figure class="logo-preview">
          {url ? <img src={url} alt="The site's logo" /> : <span class="muted">Loading the logo…</span>}
          <figcaption class="muted">
            {logo.contentType === 'image/png' ? 'PNG' : 'JPEG'}, {logo.width} × {logo.height} pixels,{' '}
            {(logo.size / 1024).toFixed(0)} KB
          </figcaption>
        </figure>
      ) : (
        <p class="muted">No logo yet: quotes start with the seller's name.</p>
      )}
      <form
        key={uploads}
        onSubmit={(event) => {
          event.preventDefault();
          if (!file) return;
          void action.run(
            'Uploading',
            async () => {
              // Sent as bytes: the API decides what the file is, whatever type the browser gives it.
              await answerOf(
                await authorizedFetch(logoPath(siteId), {
                  method: 'PUT',
                  headers: { 'content-type': 'application/octet-stream' },
                  body: file,
                }),
              );
              setFile(undefined);
              setUploads((n) => n + 1);
              onChanged();
            },
            () => 'Uploaded. Quotes rendered from now on show it.',
          );
        }}
      >
        <Field
          label="Logo file"
          hint={
            logo ? 'A new file replaces the logo. PNG or JPEG, at most 1 MB.' : 'PNG or JPEG, at most 1 MB.'
          }
        >
          {(props) => (
            <input
              {...props}
              type="file"
              accept="image/png,image/jpeg"
              onChange={(event) => setFile(event.currentTarget.files?.[0])}
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="button primary" disabled={!file || action.busy}>
            Upload logo
          </button>
          {logo && (
            <button
              type="button"
              class="button"
              disabled={action.busy}
              onClick={() =>
                void action.run(
                  'Removing',
                  async () => {
                    await answerOf(await authorizedFetch(logoPath(siteId), { method: 'DELETE' }));
                    onChanged();
                  },
                  () => 'Removed. Quotes rendered from now on have no logo.',
                )
              }
            >
              Remove logo
            </button>
          )}
          <Outcome status={action.status} />
        </div>
      </form>
    </Section>
  );
}
