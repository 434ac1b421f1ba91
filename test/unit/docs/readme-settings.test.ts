import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CUSTOM_FIELD_TYPES, settingsSchema } from '../../../shared/domain/settings';

/**
 * The README's worked settings example is a body the API accepts, uses every part of the
 * settings, and the table beside it explains every field.
 */
const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('### Settings, field by field'),
  readme.indexOf('#### The contact person'),
);
const example = /<!-- settings-example -->\s*```json\n([\s\S]*?)\n```/.exec(section)?.[1];

test('the worked example is valid settings, with every key given', () => {
  expect(example).toBeDefined();
  const body = JSON.parse(example ?? '');
  expect(settingsSchema.safeParse(body)).toMatchObject({ success: true });
  expect(Object.keys(body).sort()).toEqual(Object.keys(settingsSchema.shape).sort());
});

test('the example uses every custom field type, both kinds of target and a condition', () => {
  const body = settingsSchema.parse(JSON.parse(example ?? ''));
  expect(new Set(body.customFields.map((field) => field.type))).toEqual(new Set(CUSTOM_FIELD_TYPES));
  const mappings = [
    ...body.fieldMappings.opportunity,
    ...body.fieldMappings.account,
    ...body.fieldMappings.contact,
  ];
  expect(new Set(mappings.map((mapping) => mapping.target.kind))).toEqual(new Set(['core', 'custom']));
  expect(mappings.some((mapping) => mapping.condition)).toBe(true);
});

test('the table explains every field of the settings', () => {
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  const explained = rows.map((row) => /^\| `([^`]+)`/.exec(row)?.[1] ?? '');
  const fields = Object.entries(settingsSchema.shape).flatMap(([key, schema]) => {
    const inner = (schema as { shape?: Record<string, unknown> }).shape;
    return inner && key !== 'fieldMappings' ? Object.keys(inner).map((child) => `${key}.${child}`) : [key];
  });
  for (const field of fields) {
    expect(
      explained.some(
        (name) => name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`),
      ),
    ).toBe(true);
  }
  expect(explained).toEqual(expect.arrayContaining(['…[].salesforceField', '…[].target', '…[].condition']));
});
