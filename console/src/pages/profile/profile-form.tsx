import { useState } from 'preact/hooks';
import { api, call } from '../../api/client';
import type { components, operations } from '../../api/openapi';
import { issuesOf, Outcome, useAction } from '../../ui/feedback';
import { Field, Section } from '../../ui/form';

type SavedProfile = components['schemas']['SiteProfile'];
type ProfileBody = operations['putSiteProfile']['requestBody']['content']['application/json'];

/** The form's text fields, by their path in the profile (the API's issues use the same paths). */
const TEXT_FIELDS = [
  ['legalName', 'Legal name', 'Printed in the header and in the footer of every page.'],
  ['address.street', 'Street', undefined],
  ['address.postalCode', 'Postal code', undefined],
  ['address.city', 'City', undefined],
  ['address.state', 'State or region', undefined],
  ['address.country', 'Country', undefined],
  ['registrationNumber', 'Registration number', 'In the header and in every footer, with the VAT number.'],
  ['vatNumber', 'VAT number', undefined],
  ['email', 'E-mail', undefined],
  ['phone', 'Phone', undefined],
  ['website', 'Website', undefined],
] as const;
type TextPath = (typeof TEXT_FIELDS)[number][0];
type Draft = Record<TextPath | 'paymentTerms' | 'quoteValidityDays', string>;

function draftOf(profile: SavedProfile['profile']): Draft {
  const address = profile.address ?? {};
  return {
    legalName: profile.legalName ?? '',
    'address.street': address.street ?? '',
    'address.postalCode': address.postalCode ?? '',
    'address.city': address.city ?? '',
    'address.state': address.state ?? '',
    'address.country': address.country ?? '',
    registrationNumber: profile.registrationNumber ?? '',
    vatNumber: profile.vatNumber ?? '',
    email: profile.email ?? '',
    phone: profile.phone ?? '',
    website: profile.website ?? '',
    paymentTerms: profile.paymentTerms ?? '',
    quoteValidityDays: String(profile.quoteValidityDays ?? 30),
  };
}

/** The PUT body: a blank field is left out (the API replaces the whole profile, so it is cleared). */
function bodyOf(draft: Draft): ProfileBody {
  const value = (path: keyof Draft) => draft[path].trim() || undefined;
  const address = Object.fromEntries(
    (['street', 'postalCode', 'city', 'state', 'country'] as const)
      .map((part) => [part, value(`address.${part}`)])
      .filter(([, v]) => v !== undefined),
  );
  const days = draft.quoteValidityDays.trim();
  const body: Record<string, unknown> = {
    legalName: value('legalName'),
    ...(Object.keys(address).length > 0 ? { address } : {}),
    registrationNumber: value('registrationNumber'),
    vatNumber: value('vatNumber'),
    email: value('email'),
    phone: value('phone'),
    website: value('website'),
    paymentTerms: value('paymentTerms'),
    // A number the API checks (1–365); what is not a number goes as typed, so its message names it.
    ...(days ? { quoteValidityDays: /^\d+$/.test(days) ? Number(days) : days } : {}),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as ProfileBody;
}

/** The seller's details and the quote defaults, saved with one PUT. */
export function ProfileForm({
  siteId,
  saved,
  onSaved,
}: {
  siteId: string;
  saved: SavedProfile;
  onSaved: (profile: SavedProfile) => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(saved.profile));
  const save = useAction();
  const issues = issuesOf(save.status);
  const input = (path: keyof Draft) => ({
    value: draft[path],
    onInput: (event: { currentTarget: { value: string } }) => {
      const next = event.currentTarget.value;
      setDraft((d) => ({ ...d, [path]: next }));
    },
  });
  return (
    <Section
      id="seller"
      title="Seller"
      description="Who sends the quotes. Every field is optional: a quote prints only what is there."
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save.run(
            'Saving',
            () =>
              call(api.PUT('/sites/{siteId}/profile', { params: { path: { siteId } }, body: bodyOf(draft) })),
            (result) => {
              onSaved(result);
              setDraft(draftOf(result.profile));
              return 'Saved. Quotes rendered from now on show it.';
            },
          );
        }}
      >
        <div class="profile-fields">
          {TEXT_FIELDS.map(([path, label, hint]) => (
            <Field key={path} label={label} hint={hint} error={issues.get(path)}>
              {(props) => (
                // A text field, so the API's message (not the browser's) says what is wrong with an address.
                <input
                  {...props}
                  {...input(path)}
                  type="text"
                  inputMode={path === 'email' ? 'email' : 'text'}
                />
              )}
            </Field>
          ))}
        </div>
        <Field
          label="Payment terms"
          hint="Printed on quotes that have no payment terms of their own."
          error={issues.get('paymentTerms')}
        >
          {(props) => <textarea {...props} rows={3} {...input('paymentTerms')} />}
        </Field>
        <Field
          label="Quotes are valid for (days)"
          hint="A quote without its own validity date is valid this many days after its date (1–365)."
          error={issues.get('quoteValidityDays')}
        >
          {(props) => <input {...props} inputMode="numeric" {...input('quoteValidityDays')} />}
        </Field>
        <div class="actions">
          <button type="submit" class="button primary" disabled={save.busy}>
            Save profile
          </button>
          <Outcome status={save.status} />
        </div>
      </form>
    </Section>
  );
}
