import * as z from 'zod';
import { DEFAULT_MAX_SHARE_PERCENT } from './api-budget';
import { apiNameSchema } from './outbound-message';
import {
  CONDITION_OPERATORS,
  CORE_FIELDS,
  CUSTOM_FIELD_TYPES,
  NUMBER_TYPES,
  ORDERED_TYPES,
  SOBJECT_OF,
  SYNCED_OBJECTS,
  type SyncedObject,
} from './settings-vocabulary';

export {
  CONDITION_OPERATORS,
  CORE_FIELDS,
  type ConditionOperator,
  CUSTOM_FIELD_TYPES,
  type CustomFieldType,
  NUMBER_TYPES,
  ORDERED_TYPES,
  SOBJECT_OF,
  SYNCED_OBJECTS,
  type SyncedObject,
} from './settings-vocabulary';

/**
 * What a site syncs, and how. The same schema validates the admin API's request body, so the
 * stored settings are always in this shape.
 */
const customFieldKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be 1-40 of a-z, 0-9, _ starting with a letter');

export const customFieldSchema = z
  .strictObject({
    key: customFieldKeySchema,
    label: z.string().trim().min(1).max(80),
    type: z.enum(CUSTOM_FIELD_TYPES),
    /** Drop-down options, required for (and only for) 'dropdown'. */
    options: z.array(z.string().trim().min(1).max(80)).min(1).max(200).optional(),
    appliesTo: z.enum(SYNCED_OBJECTS),
  })
  .superRefine((field, ctx) => {
    if (field.type === 'dropdown' && !field.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a drop-down list needs its options' });
    }
    if (field.type !== 'dropdown' && field.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'only a drop-down list has options' });
    }
    if (field.options && new Set(field.options).size !== field.options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must be distinct' });
    }
  });
export type CustomField = z.infer<typeof customFieldSchema>;

export const conditionSchema = z.strictObject({
  operator: z.enum(CONDITION_OPERATORS),
  value: z.union([z.string().max(255), z.number().finite()]),
});
export type Condition = z.infer<typeof conditionSchema>;

export const fieldMappingSchema = z.strictObject({
  salesforceField: apiNameSchema,
  target: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('core'), field: z.string() }),
    z.strictObject({ kind: z.literal('custom'), key: customFieldKeySchema }),
  ]),
  /** Only opportunities are filtered by the Flow, so only opportunity mappings carry conditions. */
  condition: conditionSchema.optional(),
});
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

export const PUSH_BACK_AMOUNTS = ['net', 'gross'] as const;
export const OPPORTUNITY_UPDATES = ['on-entry', 'while-at-stage'] as const;
export type OpportunityUpdates = (typeof OPPORTUNITY_UPDATES)[number];
export const PUSH_BACK_DEFAULT_TARGET = 'Amount';
/** Field types that take a quoted sum: currency, and number (`double`); integers would drop the cents. */
export const PUSH_BACK_TARGET_TYPES: ReadonlySet<string> = new Set(['currency', 'double']);
export type PushBackAmount = (typeof PUSH_BACK_AMOUNTS)[number];

export const settingsSchema = z
  .strictObject({
    opportunityToQuote: z.strictObject({
      enabled: z.boolean(),
      stage: z.string().trim().min(1).max(255).nullable(),
      /**
       * on-entry (Scoro's behaviour): the flow sends an opportunity when it is created or updated
       * to meet the conditions. while-at-stage: on every save that meets them, so the quote's
       * synced fields follow edits made at the stage (its lines and status never do).
       */
      updates: z.enum(OPPORTUNITY_UPDATES).default('on-entry'),
      /**
       * The opportunity's products become the new quote's first lines (read in the same query as
       * its contact role); later product changes are only recorded on the quote.
       */
      importProducts: z.boolean().default(true),
    }),
    accountToCompany: z.strictObject({
      enabled: z.literal(true, { error: 'Account→Company is always on; it cannot be turned off' }),
    }),
    contactToPerson: z.strictObject({ enabled: z.boolean() }),
    fieldMappings: z.strictObject({
      opportunity: z.array(fieldMappingSchema).max(50).default([]),
      account: z.array(fieldMappingSchema).max(50).default([]),
      contact: z.array(fieldMappingSchema).max(50).default([]),
    }),
    customFields: z.array(customFieldSchema).max(100).default([]),
    pushBack: z.strictObject({
      enabled: z.boolean(),
      /**
       * Which total Send to Salesforce puts into the opportunity's Amount: the net (without VAT,
       * what Salesforce users expect in pipeline figures) or the gross (with VAT).
       */
      amount: z.enum(PUSH_BACK_AMOUNTS).default('net'),
      /**
       * Where the quoted sum goes: the opportunity's Amount, or a currency or number field of
       * Opportunity (an opportunity with products computes its Amount and ignores writes to it).
       */
      target: apiNameSchema.default(PUSH_BACK_DEFAULT_TARGET).meta({
        description:
          'The Opportunity field the quoted sum goes to: `Amount` (the default) or the API name of an updateable currency or number field (Amount is read-only on opportunities with products)',
      }),
    }),
    ownerUserId: z.string().min(1).max(64).nullable(),
    /**
     * The share of the org's daily API limit above which this service stops spending calls
     * (the org's other integrations share the limit). Stored settings from before have none.
     */
    apiBudget: z
      .strictObject({
        maxSharePercent: z.number().int().min(1).max(100).default(DEFAULT_MAX_SHARE_PERCENT),
      })
      .default({ maxSharePercent: DEFAULT_MAX_SHARE_PERCENT }),
  })
  .superRefine((settings, ctx) => {
    if (settings.opportunityToQuote.enabled && settings.opportunityToQuote.stage === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['opportunityToQuote', 'stage'],
        message: 'choose the stage at which an opportunity becomes a quote',
      });
    }
    const keys = new Set<string>();
    settings.customFields.forEach((field, i) => {
      if (keys.has(field.key))
        ctx.addIssue({ code: 'custom', path: ['customFields', i, 'key'], message: 'is used twice' });
      keys.add(field.key);
    });
    for (const object of SYNCED_OBJECTS) {
      settings.fieldMappings[object].forEach((mapping, i) => {
        const path = ['fieldMappings', object, i];
        if (mapping.target.kind === 'core' && !CORE_FIELDS[object].includes(mapping.target.field)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'target', 'field'],
            message: `is not a core field of ${object}; one of ${CORE_FIELDS[object].join(', ')}`,
          });
        }
        if (mapping.target.kind === 'custom') {
          const { key } = mapping.target;
          const field = settings.customFields.find((f) => f.key === key);
          if (!field) {
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'target', 'key'],
              message: `no custom field "${key}" is defined`,
            });
          } else if (field.appliesTo !== object) {
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'target', 'key'],
              message: `custom field "${key}" belongs to ${field.appliesTo}, not ${object}`,
            });
          }
        }
        if (mapping.condition && object !== 'opportunity') {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'condition'],
            message: 'sync conditions apply to opportunity fields only (the Flow filters opportunities)',
          });
        }
      });
    }
  });

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  opportunityToQuote: { enabled: true, stage: null, updates: 'on-entry', importProducts: true },
  accountToCompany: { enabled: true },
  contactToPerson: { enabled: true },
  fieldMappings: { opportunity: [], account: [], contact: [] },
  customFields: [],
  pushBack: { enabled: false, amount: 'net', target: PUSH_BACK_DEFAULT_TARGET },
  ownerUserId: null,
  apiBudget: { maxSharePercent: DEFAULT_MAX_SHARE_PERCENT },
};

/** The fields and their defaults, without `settingsSchema`'s rules across fields. */
const settingsFields = z.strictObject(settingsSchema.shape);

/**
 * Stored settings in today's shape: keys added since they were saved get their defaults (the
 * schema's), so a site saved before a setting existed behaves as if it had saved the default.
 * Only the fields are parsed (not the rules across them, which the org's data can change), and
 * settings that no longer parse are returned as stored rather than made unreadable.
 */
export function withSettingDefaults(stored: Settings): Settings {
  const parsed = settingsFields.safeParse(stored);
  return parsed.success ? parsed.data : stored;
}

export interface DescribedField {
  name: string;
  type: string;
  /** Whether the API may write it; absent is taken as writable. */
  updateable?: boolean;
}

/**
 * Checks mappings against the org's describe of each object: the field exists, and a condition's
 * operator and value fit the field's type. Returns issues with the settings path they concern.
 */
export function checkMappingsAgainstOrg(
  settings: Settings,
  describe: Readonly<Record<SyncedObject, readonly DescribedField[]>>,
  stages: readonly string[],
): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  const { stage } = settings.opportunityToQuote;
  if (stage !== null && !stages.includes(stage)) {
    issues.push({
      path: 'opportunityToQuote.stage',
      message: `"${stage}" is not a stage of this org; one of: ${stages.join(', ')}`,
    });
  }
  for (const object of SYNCED_OBJECTS) {
    const fields = new Map(describe[object].map((f) => [f.name.toLowerCase(), f]));
    settings.fieldMappings[object].forEach((mapping, i) => {
      const path = `fieldMappings.${object}.${i}`;
      const field = fields.get(mapping.salesforceField.toLowerCase());
      if (!field) {
        issues.push({
          path: `${path}.salesforceField`,
          message: `${SOBJECT_OF[object]} has no field ${mapping.salesforceField}`,
        });
        return;
      }
      const condition = mapping.condition;
      if (!condition) return;
      if (condition.operator !== 'eq' && !ORDERED_TYPES.has(field.type)) {
        issues.push({
          path: `${path}.condition.operator`,
          message: `"${condition.operator}" compares numbers or dates; ${field.name} is a ${field.type} field`,
        });
      }
      if (typeof condition.value === 'number' && !NUMBER_TYPES.has(field.type)) {
        issues.push({
          path: `${path}.condition.value`,
          message: `a number cannot be compared with ${field.name}, a ${field.type} field`,
        });
      }
      if (
        typeof condition.value === 'string' &&
        NUMBER_TYPES.has(field.type) &&
        !/^-?\d+(\.\d+)?$/.test(condition.value)
      ) {
        issues.push({
          path: `${path}.condition.value`,
          message: `${field.name} is a number field; give a number`,
        });
      }
      const typed =
        typeof condition.value === 'string' ? typedValueProblem(condition.value, field) : undefined;
      if (typed) issues.push({ path: `${path}.condition.value`, message: typed });
    });
  }
  return issues;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A condition's text must be a value the flow's filter can hold for the field's type: the flow
 * sends a date as a dateValue and a datetime as a dateTimeValue, which Salesforce parses strictly.
 */
function typedValueProblem(value: string, field: DescribedField): string | undefined {
  switch (field.type) {
    case 'date': {
      const at = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
      // Date.parse rolls 2025-02-30 over to March; a real date reads back as itself.
      const valid = !Number.isNaN(at) && new Date(at).toISOString().startsWith(value);
      return valid ? undefined : `${field.name} is a date field; give a date as YYYY-MM-DD`;
    }
    case 'datetime':
      return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
        ? undefined
        : `${field.name} is a date/time field; give a time with its zone, as 2025-01-31T09:00:00Z`;
    case 'boolean':
      return value === 'true' || value === 'false'
        ? undefined
        : `${field.name} is a checkbox field; give true or false`;
    default:
      return undefined;
  }
}

/**
 * `pushBack.target` against the org's describe of Opportunity: the field exists, the API may
 * write it (not a formula, roll-up or system field) and it takes a sum (currency or number).
 */
export function checkPushBackTarget(
  settings: Settings,
  opportunity: readonly DescribedField[],
): Array<{ path: string; message: string }> {
  const { target } = settings.pushBack;
  const field = opportunity.find((f) => f.name.toLowerCase() === target.toLowerCase());
  const issue = (message: string) => [{ path: 'pushBack.target', message }];
  if (!field) return issue(`Opportunity has no field ${target}`);
  if (field.updateable === false)
    return issue(
      `${field.name} is read-only (a formula, roll-up or system field); choose a field the API may write`,
    );
  if (!PUSH_BACK_TARGET_TYPES.has(field.type))
    return issue(
      `${field.name} is a field of type ${field.type}; the quoted sum needs a currency or number field`,
    );
  return [];
}

/** The canonical name of a field as the org spells it (mappings may differ in case). */
export function canonicalFieldName(describe: readonly DescribedField[], name: string): string {
  return describe.find((f) => f.name.toLowerCase() === name.toLowerCase())?.name ?? name;
}
