import type { SiteUser } from '../../api/types';
import { Outcome, useAction } from '../../ui/feedback';
import { Field, Section, Toggle } from '../../ui/form';
import { type DescribedObjects, type SettingsDraft, savedMessage } from './settings-draft';

/** Settings: what syncs (Opportunity to Quote and its Stage, Account to Company, Contact to Person), push-back, owner. */
export function SettingsSection({
  draft,
  stages,
  stagesError,
  opportunityFields,
  users,
  readOnly,
  onSaved,
}: {
  draft: SettingsDraft;
  stages: string[];
  stagesError?: string | undefined;
  /** The org's Opportunity fields (undefined when not connected): the push-back targets come from them. */
  opportunityFields?: DescribedObjects['opportunity'] | undefined;
  users: SiteUser[];
  readOnly?: boolean;
  onSaved: (flowVersion: number | null) => void;
}) {
  const save = useAction();
  const settings = draft.value;
  const issue = (path: string) => draft.issues.get(path);
  const stage = settings.opportunityToQuote.stage;
  // A stored stage the org no longer has stays visible, so nobody loses it unknowingly.
  const stageOptions = stage && !stages.includes(stage) ? [stage, ...stages] : stages;
  const target = settings.pushBack.target ?? 'Amount';
  // What describe says can take a sum: an updateable currency or number field (the server checks again).
  const sumFields = (opportunityFields ?? []).filter(
    (f) => f.updateable && (f.type === 'currency' || f.type === 'double'),
  );
  const targetOptions = [
    ...(sumFields.some((f) => f.name === target) ? [] : [{ name: target, label: target }]),
    ...sumFields,
  ];
  return (
    <Section id="settings" title="Settings" description="What syncs from Salesforce, and what goes back.">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save.run('Saving', draft.save, (result) => {
            onSaved(result.flowVersion);
            return savedMessage(result);
          });
        }}
      >
        <fieldset class="plain" disabled={readOnly}>
          <Toggle
            label="Opportunity to Quote"
            checked={settings.opportunityToQuote.enabled}
            hint="An opportunity that reaches the stage becomes a quote."
            error={issue('opportunityToQuote.enabled')}
            onChange={(enabled) =>
              draft.update((s) => ({ ...s, opportunityToQuote: { ...s.opportunityToQuote, enabled } }))
            }
          />
          <div class="indented">
            <Field
              label="Stage"
              hint={
                stagesError
                  ? `The org's stages could not be read: ${stagesError}`
                  : "From the org's own stage picklist."
              }
              error={issue('opportunityToQuote.stage')}
            >
              {(props) => (
                <select
                  {...props}
                  value={stage ?? ''}
                  disabled={readOnly || !settings.opportunityToQuote.enabled}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    draft.update((s) => ({
                      ...s,
                      opportunityToQuote: { ...s.opportunityToQuote, stage: value || null },
                    }));
                  }}
                >
                  <option value="">Choose a stage</option>
                  {stageOptions.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div class="indented">
            <Toggle
              label="Import the opportunity's products"
              checked={settings.opportunityToQuote.importProducts ?? true}
              hint="A new quote starts with the opportunity's products as its lines (name, code, description, quantity, sales price, discount). Later product changes in Salesforce are shown on the quote, never merged into its lines."
              error={issue('opportunityToQuote.importProducts')}
              onChange={(importProducts) =>
                draft.update((s) => ({
                  ...s,
                  opportunityToQuote: { ...s.opportunityToQuote, importProducts },
                }))
              }
            />
          </div>
          <Toggle
            label="Account to Company"
            checked
            disabled
            hint="Always on: the account of every synced opportunity becomes its quote's company."
          />
          <Toggle
            label="Contact to Person"
            checked={settings.contactToPerson.enabled}
            hint="The opportunity's primary contact becomes the quote's person: an existing person with the same e-mail is matched, else one is created."
            error={issue('contactToPerson.enabled')}
            onChange={(enabled) => draft.update((s) => ({ ...s, contactToPerson: { enabled } }))}
          />
          <fieldset class="choice-group">
            <legend>Sync quoted sum back to Salesforce</legend>
            <p class="hint">
              When enabled, "Send to Salesforce" on a quote sets the opportunity's Amount (or the field chosen
              below) to the quoted sum and attaches the quote PDF.
            </p>
            <div class="segmented">
              {[true, false].map((enabled) => (
                <label class="choice" key={String(enabled)}>
                  <input
                    type="radio"
                    name="push-back"
                    checked={settings.pushBack.enabled === enabled}
                    onChange={() => draft.update((s) => ({ ...s, pushBack: { ...s.pushBack, enabled } }))}
                  />
                  <span>{enabled ? 'Enable' : 'Disable'}</span>
                </label>
              ))}
            </div>
            <Field
              label="Quoted sum goes to"
              hint="Salesforce computes Amount from an opportunity's products and ignores writes to it: choose a currency or number field of Opportunity to receive the sum all the same."
              error={issue('pushBack.target')}
            >
              {(props) => (
                <select
                  {...props}
                  value={target}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    draft.update((s) => ({ ...s, pushBack: { ...s.pushBack, target: value } }));
                  }}
                >
                  {targetOptions.map((f) => (
                    <option key={f.name} value={f.name}>
                      {f.label === f.name ? f.name : `${f.label} (${f.name})`}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </fieldset>
          <Field
            label="Owner for synced items"
            hint="The site user who owns the quotes, companies and persons the sync creates."
            error={issue('ownerUserId')}
          >
            {(props) => (
              <select
                {...props}
                value={settings.ownerUserId ?? ''}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  draft.update((s) => ({ ...s, ownerUserId: value || null }));
                }}
              >
                <option value="">No owner</option>
                {users.map((user) => (
                  <option key={user.userId} value={user.userId}>
                    {user.name} ({user.email})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
        {!readOnly && (
          <div class="actions">
            <button type="submit" class="button primary" disabled={save.busy}>
              Save
            </button>
            {draft.dirty && save.status.state !== 'busy' && <span class="muted">Unsaved changes</span>}
            <Outcome status={save.status} />
          </div>
        )}
      </form>
    </Section>
  );
}
