import type { SandboxStore } from '../contracts';
import type { OutboundMessageDefinition, SaveError, Validated } from './model';
import {
  fieldIntegrity,
  findField,
  invalidCrossReference,
  isValidDeveloperName,
  parseBoolean,
  requireText,
} from './validation';
import { childrenNamed, childText, type XmlElement } from './xml';

export type OutboundMessageDraft = Omit<OutboundMessageDefinition, 'id' | 'createdDate' | 'lastModifiedDate'>;

const REQUIRED = [
  'apiVersion',
  'endpointUrl',
  'includeSessionId',
  'integrationUser',
  'name',
  'protected',
] as const;

function validateIntegrationUser(store: SandboxStore, username: string, errors: SaveError[]): void {
  // Salesforce resolves integrationUser to an active user by username; the check only applies
  // when the store holds users at all.
  if (!store.describe('User') || username === '') return;
  const users = store.all('User');
  if (users.length === 0) return;
  const wanted = username.toLowerCase();
  const found = users.some(
    (user) => typeof user.Username === 'string' && user.Username.toLowerCase() === wanted,
  );
  if (!found) {
    errors.push(
      fieldIntegrity(`integrationUser: no active user with username ${username}`, ['integrationUser']),
    );
  }
}

/**
 * Checks a WorkflowOutboundMessage as Salesforce does on save: required elements, an `Object.Name`
 * full name whose object exists, every field on that object, a usable endpoint URL.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_workflow.htm
 */
export function validateOutboundMessage(
  element: XmlElement,
  fullName: string,
  store: SandboxStore,
): Validated<OutboundMessageDraft> {
  const errors: SaveError[] = [];
  const [objectName = '', developerName = '', ...rest] = fullName.split('.');
  if (objectName === '' || developerName === '' || rest.length > 0) {
    errors.push(
      fieldIntegrity(
        `The full name ${fullName} must be the object name and the outbound message name, e.g. Opportunity.My_Message`,
        ['fullName'],
      ),
    );
    return { ok: false, errors };
  }
  const describe = store.describe(objectName);
  if (!describe) {
    errors.push(
      invalidCrossReference(`In field: fullName - no CustomObject named ${objectName} found`, ['fullName']),
    );
    return { ok: false, errors };
  }
  if (!isValidDeveloperName(developerName)) {
    errors.push(
      fieldIntegrity(
        `The outbound message name ${developerName} can only contain underscores and alphanumeric characters, must begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.`,
        ['fullName'],
      ),
    );
  }

  const values = Object.fromEntries(REQUIRED.map((field) => [field, requireText(element, field, errors)]));
  const endpointUrl = values.endpointUrl ?? '';
  if (endpointUrl !== '') {
    let protocol = '';
    try {
      protocol = new URL(endpointUrl).protocol;
    } catch {
      protocol = '';
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      errors.push(fieldIntegrity(`Endpoint URL: ${endpointUrl} is not a valid URL`, ['endpointUrl']));
    }
  }

  const fields: string[] = [];
  for (const fieldElement of childrenNamed(element, 'fields')) {
    const requested = fieldElement.text.trim();
    const canonical = findField(describe, requested);
    if (!canonical) {
      errors.push(fieldIntegrity(`Unknown field: ${objectName}.${requested}`, ['fields']));
    } else if (!fields.includes(canonical)) {
      fields.push(canonical);
    }
  }
  validateIntegrationUser(store, values.integrationUser ?? '', errors);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      fullName: `${describe.name}.${developerName}`,
      objectName: describe.name,
      name: values.name ?? '',
      endpointUrl,
      fields,
      apiVersion: Number(values.apiVersion),
      includeSessionId: parseBoolean(values.includeSessionId),
      integrationUser: values.integrationUser ?? '',
      protected: parseBoolean(values.protected),
      useDeadLetterQueue: parseBoolean(childText(element, 'useDeadLetterQueue')),
      xml: { ...element, children: element.children.filter((c) => c.local !== 'fullName') },
    },
  };
}
