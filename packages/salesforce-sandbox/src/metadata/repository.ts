import type { FlowDraft } from './flow';
import { idFactory } from './ids';
import type { ActiveFlow, ActiveOutboundMessage, FlowVersion, OutboundMessageDefinition } from './model';
import type { OutboundMessageDraft } from './outbound-message';

export interface FlowDefinitionRecord {
  /** FlowDefinition id (300 prefix). */
  id: string;
  fullName: string;
  versions: FlowVersion[];
  createdById: string;
}

export interface StoredOutboundMessage extends OutboundMessageDefinition {
  createdById: string;
  lastModifiedById: string;
}

/** Everything the repository holds, as plain data: what a persisted org saves and restores. */
export interface MetadataRepositoryState {
  outboundMessages: StoredOutboundMessage[];
  flows: FlowDefinitionRecord[];
  /** How many ids each sequence issued, so a restored org never issues one twice. */
  issued: { outboundMessage: number; flowVersion: number; flowDefinition: number };
}

const key = (fullName: string): string => fullName.toLowerCase();

/** Saved WorkflowOutboundMessage components and Flow versions; names are case-insensitive as in Salesforce. */
export class MetadataRepository {
  private readonly messages = new Map<string, StoredOutboundMessage>();
  private readonly flows = new Map<string, FlowDefinitionRecord>();
  private readonly nextMessageId = idFactory('04k');
  private readonly nextFlowVersionId = idFactory('301');
  private readonly nextFlowDefinitionId = idFactory('300');

  exportState(): MetadataRepositoryState {
    return structuredClone({
      outboundMessages: [...this.messages.values()],
      flows: [...this.flows.values()],
      issued: {
        outboundMessage: this.nextMessageId.issued(),
        flowVersion: this.nextFlowVersionId.issued(),
        flowDefinition: this.nextFlowDefinitionId.issued(),
      },
    });
  }

  /** Replaces what the repository holds with a saved state (see exportState). */
  importState(state: MetadataRepositoryState): void {
    this.messages.clear();
    this.flows.clear();
    for (const message of structuredClone(state.outboundMessages))
      this.messages.set(key(message.fullName), message);
    for (const flow of structuredClone(state.flows)) this.flows.set(key(flow.fullName), flow);
    this.nextMessageId.resume(state.issued.outboundMessage);
    this.nextFlowVersionId.resume(state.issued.flowVersion);
    this.nextFlowDefinitionId.resume(state.issued.flowDefinition);
  }

  outboundMessage(fullName: string): StoredOutboundMessage | undefined {
    return this.messages.get(key(fullName));
  }

  outboundMessages(): StoredOutboundMessage[] {
    return [...this.messages.values()];
  }

  saveOutboundMessage(draft: OutboundMessageDraft, userId: string, now: string): { created: boolean } {
    const existing = this.messages.get(key(draft.fullName));
    this.messages.set(key(draft.fullName), {
      ...draft,
      id: existing?.id ?? this.nextMessageId(),
      createdDate: existing?.createdDate ?? now,
      createdById: existing?.createdById ?? userId,
      lastModifiedDate: now,
      lastModifiedById: userId,
    });
    return { created: existing === undefined };
  }

  deleteOutboundMessage(fullName: string): boolean {
    return this.messages.delete(key(fullName));
  }

  flow(fullName: string): FlowDefinitionRecord | undefined {
    return this.flows.get(key(fullName));
  }

  flowDefinitions(): FlowDefinitionRecord[] {
    return [...this.flows.values()];
  }

  /**
   * Every save is a new version. Saving one as Active makes it the active version, and the version
   * that was active before becomes Obsolete; unless the org keeps deployed flows inactive
   * (`activate: false`, a production org without "Deploy processes and flows as active"): then
   * the new version is saved as Draft (Flow Builder shows it as Inactive) and the active one stays.
   */
  saveFlowVersion(
    draft: FlowDraft,
    userId: string,
    now: string,
    options: { activate: boolean } = { activate: true },
  ): { created: boolean; version: FlowVersion } {
    let definition = this.flows.get(key(draft.fullName));
    const created = definition === undefined;
    if (!definition) {
      definition = {
        id: this.nextFlowDefinitionId(),
        fullName: draft.fullName,
        versions: [],
        createdById: userId,
      };
      this.flows.set(key(draft.fullName), definition);
    }
    const status = draft.status === 'Active' && !options.activate ? 'Draft' : draft.status;
    if (status === 'Active') this.deactivate(definition, now);
    const version: FlowVersion = {
      ...draft,
      status,
      fullName: definition.fullName,
      id: this.nextFlowVersionId(),
      versionNumber: definition.versions.length + 1,
      createdDate: now,
      lastModifiedDate: now,
    };
    definition.versions.push(version);
    return { created, version };
  }

  /** The active version becomes Obsolete (a version that ran once never reads as Draft again). */
  private deactivate(definition: FlowDefinitionRecord, now: string): void {
    for (const previous of definition.versions) {
      if (previous.status === 'Active') {
        previous.status = 'Obsolete';
        previous.lastModifiedDate = now;
      }
    }
  }

  /**
   * FlowDefinition's activeVersionNumber: 0 deactivates the flow, N makes version N the active
   * one. Returns false for a version the flow does not have.
   */
  setActiveVersion(definition: FlowDefinitionRecord, versionNumber: number, now: string): boolean {
    if (versionNumber === 0) {
      this.deactivate(definition, now);
      return true;
    }
    const version = definition.versions.find((v) => v.versionNumber === versionNumber);
    if (!version) return false;
    if (version.status === 'Active') return true;
    this.deactivate(definition, now);
    version.status = 'Active';
    version.lastModifiedDate = now;
    return true;
  }

  flowById(id: string): FlowDefinitionRecord | undefined {
    return this.flowDefinitions().find((d) => d.id === id);
  }

  deleteFlow(fullName: string): boolean {
    return this.flows.delete(key(fullName));
  }

  /** Flows whose versions call this outbound message (Salesforce refuses to delete a message in use). */
  flowsUsing(messageFullName: string): string[] {
    return this.flowDefinitions()
      .filter((definition) =>
        definition.versions.some((version) =>
          version.actionCalls.some(
            (action) =>
              action.actionType === 'outboundMessage' && key(action.actionName) === key(messageFullName),
          ),
        ),
      )
      .map((definition) => definition.fullName);
  }

  activeVersion(definition: FlowDefinitionRecord): FlowVersion | undefined {
    return definition.versions.find((version) => version.status === 'Active');
  }

  /** The active record-triggered flows, each with the outbound messages its path reaches, in order. */
  activeFlows(): ActiveFlow[] {
    const result: ActiveFlow[] = [];
    for (const definition of this.flows.values()) {
      const version = this.activeVersion(definition);
      const start = version?.start;
      if (!version || !start?.object || !start.triggerType || !start.recordTriggerType) continue;
      const recordTriggerType = start.recordTriggerType;
      if (!isRecordTriggerType(recordTriggerType)) continue;
      result.push({
        fullName: version.fullName,
        versionNumber: version.versionNumber,
        object: start.object,
        triggerType: start.triggerType,
        recordTriggerType,
        ...(start.filterLogic ? { filterLogic: start.filterLogic } : {}),
        filters: start.filters,
        doesRequireRecordChangedToMeetCriteria: start.doesRequireRecordChangedToMeetCriteria,
        outboundMessages: this.reachableMessages(version),
      });
    }
    return result;
  }

  private reachableMessages(version: FlowVersion): ActiveOutboundMessage[] {
    const messages: ActiveOutboundMessage[] = [];
    const visited = new Set<string>();
    let next = version.start?.connector;
    while (next !== undefined && !visited.has(next)) {
      visited.add(next);
      const target = next;
      const action = version.actionCalls.find((a) => a.name === target);
      if (!action) break;
      if (action.actionType === 'outboundMessage') {
        const message = this.outboundMessage(action.actionName);
        if (message) {
          messages.push({
            id: message.id,
            fullName: message.fullName,
            objectName: message.objectName,
            endpointUrl: message.endpointUrl,
            fields: message.fields,
            apiVersion: message.apiVersion,
          });
        }
      }
      next = action.connector;
    }
    return messages;
  }
}

function isRecordTriggerType(value: string): value is ActiveFlow['recordTriggerType'] {
  return ['Create', 'Update', 'CreateAndUpdate', 'Delete', 'None'].includes(value);
}
