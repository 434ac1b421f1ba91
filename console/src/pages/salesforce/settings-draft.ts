import { useCallback, useState } from 'preact/hooks';
import { ApiError, api, call } from '../../api/client';
import type { SettingsBody, SetupStatus, SyncedObject } from '../../api/types';

/** The org's fields per synced object, from describe. */
export interface DescribedObjects {
  opportunity: DescribedField[];
  account: DescribedField[];
  contact: DescribedField[];
}
export interface DescribedField {
  name: string;
  label: string;
  type: string;
  /** Whether the API may write it (a push-back target must be). */
  updateable?: boolean;
  picklistValues?: string[];
}

/** Settings with every defaulted list present, as the page edits them (the API budget is kept as stored). */
export type EditedSettings = Omit<Required<SettingsBody>, 'fieldMappings' | 'apiBudget'> & {
  fieldMappings: Required<SettingsBody['fieldMappings']>;
  apiBudget?: SettingsBody['apiBudget'];
};

/** Settings as the page edits them: every section changes one draft, and any Save saves all of it. */
export interface SettingsDraft {
  siteId: string;
  value: EditedSettings;
  /** The API's message for each invalid field of the last save, by path. */
  issues: ReadonlyMap<string, string>;
  dirty: boolean;
  update(change: (settings: EditedSettings) => EditedSettings): void;
  /** Saves; resolves with the flow version the save left deployed (null when none is). */
  save(): Promise<{ flowVersion: number | null; flowChanged: boolean; flowInactive: boolean }>;
  /** What the latest save left deployed, for the Setup section (undefined before a save). */
  setup: SetupStatus | undefined;
}

function complete(settings: SettingsBody): EditedSettings {
  return {
    ...settings,
    fieldMappings: {
      opportunity: settings.fieldMappings.opportunity ?? [],
      account: settings.fieldMappings.account ?? [],
      contact: settings.fieldMappings.contact ?? [],
    },
    customFields: settings.customFields ?? [],
  };
}

export function useSettingsDraft(
  siteId: string,
  stored: SettingsBody,
  flowVersion: number | null,
): SettingsDraft {
  const [value, setValue] = useState(() => complete(stored));
  const [saved, setSaved] = useState(() => JSON.stringify(complete(stored)));
  const [issues, setIssues] = useState<ReadonlyMap<string, string>>(new Map());
  const [version, setVersion] = useState(flowVersion);
  const [setup, setSetup] = useState<SetupStatus>();
  const update = useCallback(
    (change: (settings: EditedSettings) => EditedSettings) => setValue((current) => change(current)),
    [],
  );
  const save = async () => {
    try {
      const result = await call(
        api.PUT('/sites/{siteId}/salesforce/settings', { params: { path: { siteId } }, body: value }),
      );
      setIssues(new Map());
      const next = complete(result.settings as SettingsBody);
      setValue(next);
      setSaved(JSON.stringify(next));
      const flowVersion = result.setup.flow?.version ?? null;
      const flowChanged = flowVersion !== version;
      setVersion(flowVersion);
      setSetup(result.setup);
      const attempt = result.setup.lastAttempt;
      // The settings are saved either way; a failed deploy is the Setup section's Retry.
      if (attempt && !attempt.ok)
        throw new ApiError(
          0,
          `Saved, but the deploy to Salesforce failed: ${attempt.error ?? 'no reason given'}`,
        );
      return { flowVersion, flowChanged, flowInactive: result.setup.flow?.state === 'saved-but-inactive' };
    } catch (error) {
      if (error instanceof ApiError)
        setIssues(new Map(error.issues.map((issue) => [issue.path, issue.message])));
      throw error;
    }
  };
  return { siteId, value, issues, dirty: JSON.stringify(value) !== saved, update, save, setup };
}

/** Replaces one object's mappings. */
export function withMappings(
  settings: EditedSettings,
  object: SyncedObject,
  mappings: NonNullable<SettingsBody['fieldMappings'][SyncedObject]>,
): EditedSettings {
  return { ...settings, fieldMappings: { ...settings.fieldMappings, [object]: mappings } };
}

/** What a save's outcome says: the new flow version when there is one. */
export function savedMessage(result: Awaited<ReturnType<SettingsDraft['save']>>): string {
  const inactive = result.flowInactive ? ' It is saved but not active: see Setup.' : '';
  if (result.flowChanged && result.flowVersion !== null)
    return `Saved. Scoro Opportunity Flow is now version ${result.flowVersion}.${inactive}`;
  return `Saved.${inactive}`;
}
