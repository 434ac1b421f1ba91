import type { HttpResult, MetadataService, SandboxAuth, SandboxStore, Session } from '../contracts';
import { defaultOrgSettings, deploysFlowsActive, type OrgSettings } from '../org-settings';
import { validateFlow } from './flow';
import type { ActiveFlow, FlowStatus, OutboundMessageDefinition, SaveError } from './model';
import { validateOutboundMessage } from './outbound-message';
import { flowDefinitionRecordXml, flowRecordXml, NIL_RECORD, outboundMessageRecordXml } from './records';
import { type FlowDefinitionRecord, MetadataRepository, type MetadataRepositoryState } from './repository';
import {
  describeMetadataXml,
  type FileProperties,
  filePropertiesXml,
  type SaveOutcome,
  saveResultXml,
} from './results';
import { validateAgainstSchema } from './schema';
import { METADATA_NS, SoapFault, soapFaultResponse, soapResponse } from './soap';
import { handleTooling } from './tooling';
import { invalidCrossReference, requiredFieldMissing } from './validation';
import {
  attribute,
  child,
  childrenNamed,
  childText,
  localName,
  parseXmlDocument,
  type XmlElement,
  XmlParseError,
} from './xml';

export type { ActiveFlow, ActiveOutboundMessage, FilterValue, FlowFilter } from './model';
export { activeFlowSchema } from './model';

export interface FlowVersionInfo {
  id: string;
  fullName: string;
  versionNumber: number;
  status: FlowStatus;
  label: string;
  createdDate: string;
}

export interface SandboxMetadataService extends MetadataService {
  /** Active record-triggered flows with their outbound messages resolved (see ActiveFlow). */
  listFlows(): ActiveFlow[];
  /** Every saved version of a flow, oldest first; empty for an unknown flow. */
  listFlowVersions(fullName: string): FlowVersionInfo[];
  outboundMessages(): OutboundMessageDefinition[];
  /** Forget every component (control-plane reset). */
  reset(): void;
  /** The saved components and their id sequences, for a persisted org (persistence.ts). */
  exportState(): MetadataRepositoryState;
  importState(state: MetadataRepositoryState): void;
}

type SaveOperation = 'create' | 'update' | 'upsert';
type SupportedType = 'WorkflowOutboundMessage' | 'Flow';

const now = (): string => new Date().toISOString();

function requireType(typeName: string | undefined): SupportedType {
  const type = localName(typeName ?? '');
  if (type === 'WorkflowOutboundMessage' || type === 'Flow') return type;
  throw new SoapFault(
    'sf:INVALID_TYPE',
    `INVALID_TYPE: This sandbox's Metadata API supports WorkflowOutboundMessage and Flow, not ${type || 'an unnamed type'}`,
  );
}

export function createMetadataService(deps: {
  store: SandboxStore;
  auth: SandboxAuth;
  /** The org's kind and settings: a production org saves deployed flows inactive unless told not to. */
  org?: () => OrgSettings;
}): SandboxMetadataService {
  const { store, auth } = deps;
  const org = deps.org ?? defaultOrgSettings;
  let repository = new MetadataRepository();

  const userName = (userId: string): string => {
    const name = store.get('User', userId)?.Name;
    return typeof name === 'string' ? name : userId;
  };

  function saveOne(
    operation: SaveOperation,
    type: SupportedType,
    element: XmlElement,
    session: Session,
  ): SaveOutcome {
    const fullName = childText(element, 'fullName')?.trim();
    if (!fullName) return { fullName: undefined, errors: [requiredFieldMissing('fullName')] };
    const existing = type === 'Flow' ? repository.flow(fullName) : repository.outboundMessage(fullName);
    if (operation === 'update' && !existing) {
      return {
        fullName,
        errors: [
          invalidCrossReference(`In field: fullName - no ${type} named ${fullName} found`, ['fullName']),
        ],
      };
    }
    if (type === 'WorkflowOutboundMessage') {
      if (operation === 'create' && existing) {
        return {
          fullName,
          errors: [
            {
              statusCode: 'DUPLICATE_DEVELOPER_NAME',
              message: `There is already an outbound message named ${fullName}.`,
              fields: ['fullName'],
            },
          ],
        };
      }
      const result = validateOutboundMessage(element, fullName, store);
      if (!result.ok) return { fullName, errors: result.errors };
      const { created } = repository.saveOutboundMessage(result.value, session.userId, now());
      return { fullName: result.value.fullName, errors: [], created };
    }
    const result = validateFlow(element, fullName, {
      store,
      outboundMessage: (name) => repository.outboundMessage(name),
    });
    if (!result.ok) return { fullName, errors: result.errors };
    const { created } = repository.saveFlowVersion(result.value, session.userId, now(), {
      activate: deploysFlowsActive(org()),
    });
    return { fullName, errors: [], created };
  }

  function save(operation: SaveOperation, request: XmlElement, session: Session): HttpResult {
    const elements = childrenNamed(request, 'metadata');
    const typed = elements.map((element) => {
      const typeAttribute = attribute(element, 'type');
      if (!typeAttribute) {
        throw new SoapFault(
          'soapenv:Client',
          `Must specify a {http://www.w3.org/2001/XMLSchema-instance}type attribute value for the {${METADATA_NS}}metadata element`,
        );
      }
      const type = requireType(typeAttribute);
      // The whole call is refused when one component breaks the schema, as Salesforce's parser
      // does; a missing required element fails only its component.
      const missing = validateAgainstSchema(element, type);
      return { type, element, missing };
    });
    const results = typed.map(({ type, element, missing }) =>
      missing.length > 0
        ? { fullName: childText(element, 'fullName')?.trim(), errors: missing }
        : saveOne(operation, type, element, session),
    );
    return soapResponse(
      `${operation}Metadata`,
      results.map((outcome) => saveResultXml(outcome, operation === 'upsert')).join(''),
    );
  }

  function findFlow(
    fullName: string,
  ): { definition: FlowDefinitionRecord; versionNumber?: number } | undefined {
    const definition = repository.flow(fullName);
    if (definition) return { definition };
    // Before API 44 a flow version was named Name-N; those names still read that version.
    const match = /^(.+)-(\d+)$/.exec(fullName);
    const base = match?.[1] ? repository.flow(match[1]) : undefined;
    return base ? { definition: base, versionNumber: Number(match?.[2]) } : undefined;
  }

  function read(request: XmlElement): HttpResult {
    const rawType = childText(request, 'type') ?? '';
    const names = childrenNamed(request, 'fullNames').map((n) => n.text.trim());
    const records = names.map((fullName) => {
      if (rawType === 'FlowDefinition') {
        const definition = repository.flow(fullName);
        return definition ? flowDefinitionRecordXml(definition) : NIL_RECORD;
      }
      const type = requireType(rawType);
      if (type === 'WorkflowOutboundMessage') {
        const message = repository.outboundMessage(fullName);
        return message ? outboundMessageRecordXml(message) : NIL_RECORD;
      }
      const found = findFlow(fullName);
      if (!found) return NIL_RECORD;
      const versions = found.definition.versions;
      const version =
        found.versionNumber === undefined
          ? versions[versions.length - 1]
          : versions.find((v) => v.versionNumber === found.versionNumber);
      return version ? flowRecordXml(version, fullName) : NIL_RECORD;
    });
    return soapResponse('readMetadata', `<result>${records.join('')}</result>`);
  }

  function deleteOne(type: SupportedType, fullName: string): SaveOutcome {
    if (type === 'WorkflowOutboundMessage') {
      const message = repository.outboundMessage(fullName);
      if (!message) {
        return {
          fullName,
          errors: [
            invalidCrossReference(`In field: fullName - no ${type} named ${fullName} found`, ['fullName']),
          ],
        };
      }
      const users = repository.flowsUsing(message.fullName);
      if (users.length > 0) {
        const error: SaveError = {
          statusCode: 'DEPENDENCY_EXISTS',
          message: `This outbound message is referenced elsewhere in Salesforce. Remove the usage and try again.: Flow ${users.join(', ')}`,
          fields: [],
        };
        return { fullName, errors: [error] };
      }
      repository.deleteOutboundMessage(fullName);
      return { fullName, errors: [] };
    }
    const flow = repository.flow(fullName);
    if (flow && repository.activeVersion(flow)) {
      // Salesforce deletes no flow with an active version: it must be deactivated first.
      const error: SaveError = {
        statusCode: 'DELETE_FAILED',
        message: `You can't delete the flow ${flow.fullName} while a version of it is active. Deactivate the flow, then delete it.`,
        fields: [],
      };
      return { fullName, errors: [error] };
    }
    if (!repository.deleteFlow(fullName)) {
      return {
        fullName,
        errors: [
          invalidCrossReference(`In field: fullName - no ${type} named ${fullName} found`, ['fullName']),
        ],
      };
    }
    return { fullName, errors: [] };
  }

  function remove(request: XmlElement): HttpResult {
    const type = requireType(childText(request, 'type'));
    const names = childrenNamed(request, 'fullNames').map((n) => n.text.trim());
    const results = names.map((fullName) => deleteOne(type, fullName));
    return soapResponse('deleteMetadata', results.map((outcome) => saveResultXml(outcome, false)).join(''));
  }

  function fileProperties(type: string): FileProperties[] {
    const common = (
      createdById: string,
      createdDate: string,
      lastModifiedById: string,
      lastModifiedDate: string,
    ) => ({
      createdById,
      createdByName: userName(createdById),
      createdDate,
      lastModifiedById,
      lastModifiedByName: userName(lastModifiedById),
      lastModifiedDate,
    });
    if (type === 'WorkflowOutboundMessage') {
      return repository.outboundMessages().map((m) => ({
        ...common(m.createdById, m.createdDate, m.lastModifiedById, m.lastModifiedDate),
        fileName: `workflows/${m.objectName}.workflow`,
        fullName: m.fullName,
        id: m.id,
        type,
      }));
    }
    if (type === 'Flow' || type === 'FlowDefinition') {
      return repository.flowDefinitions().flatMap((definition) => {
        const first = definition.versions[0];
        const latest = definition.versions[definition.versions.length - 1];
        if (!first || !latest) return [];
        return [
          {
            ...common(
              definition.createdById,
              first.createdDate,
              definition.createdById,
              latest.lastModifiedDate,
            ),
            fileName:
              type === 'Flow'
                ? `flows/${definition.fullName}.flow`
                : `flowDefinitions/${definition.fullName}.flowDefinition`,
            fullName: definition.fullName,
            id: type === 'Flow' ? latest.id : definition.id,
            type,
          },
        ];
      });
    }
    return [];
  }

  function list(request: XmlElement): HttpResult {
    const types = childrenNamed(request, 'queries').map((query) => childText(query, 'type') ?? '');
    const results = types.flatMap(fileProperties).map(filePropertiesXml);
    return soapResponse('listMetadata', results.join(''));
  }

  async function handle(request: { version: string; body: string }): Promise<HttpResult> {
    try {
      const envelope = parseXmlDocument(request.body);
      if (envelope.local !== 'Envelope') throw new SoapFault('soapenv:Client', 'Not a SOAP envelope');
      const header = child(envelope, 'Header');
      const sessionHeader = header ? child(header, 'SessionHeader') : undefined;
      const sessionId = sessionHeader ? childText(sessionHeader, 'sessionId') : undefined;
      const session = sessionId ? auth.validateAccessToken(sessionId.trim()) : undefined;
      if (!session) {
        throw new SoapFault(
          'sf:INVALID_SESSION_ID',
          'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
        );
      }
      const body = child(envelope, 'Body');
      const operation = body?.children[0];
      if (!operation) throw new SoapFault('soapenv:Client', 'The SOAP body is empty');
      switch (operation.local) {
        case 'createMetadata':
          return save('create', operation, session);
        case 'updateMetadata':
          return save('update', operation, session);
        case 'upsertMetadata':
          return save('upsert', operation, session);
        case 'readMetadata':
          return read(operation);
        case 'deleteMetadata':
          return remove(operation);
        case 'listMetadata':
          return list(operation);
        case 'describeMetadata':
          return soapResponse('describeMetadata', describeMetadataXml());
        default:
          throw new SoapFault(
            'soapenv:Client',
            `No operation available for request {${METADATA_NS}}${operation.local}`,
          );
      }
    } catch (error) {
      if (error instanceof SoapFault) return soapFaultResponse(error);
      if (error instanceof XmlParseError)
        return soapFaultResponse(new SoapFault('soapenv:Client', error.message));
      const message = error instanceof Error ? error.message : String(error);
      return soapFaultResponse(new SoapFault('sf:UNKNOWN_EXCEPTION', `UNKNOWN_EXCEPTION: ${message}`));
    }
  }

  return {
    handle,
    tooling: (request) =>
      handleTooling(
        {
          repository: () => repository,
          activationRefusal: () => org().flowActivationRefusal,
          now,
        },
        request,
      ) as HttpResult,
    listFlows: () => repository.activeFlows(),
    listFlowVersions: (fullName) =>
      (repository.flow(fullName)?.versions ?? []).map((v) => ({
        id: v.id,
        fullName: v.fullName,
        versionNumber: v.versionNumber,
        status: v.status,
        label: v.label,
        createdDate: v.createdDate,
      })),
    outboundMessages: () => repository.outboundMessages(),
    reset: () => {
      repository = new MetadataRepository();
    },
    exportState: () => repository.exportState(),
    importState: (state) => repository.importState(state),
  };
}
