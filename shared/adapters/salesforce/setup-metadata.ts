import {
  type FlowSpec,
  type OutboundMessageSpec,
  SALESFORCE_API_VERSION,
} from '../../domain/salesforce-setup';

/**
 * The Metadata API components the service saves, as jsforce serializes them: keys in the order
 * of the 62.0 WSDL's sequences (base type first, then each type's own elements), since Salesforce
 * refuses an element out of place. Tests validate these against metadata-62.0.wsdl itself.
 */

/** https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_workflow.htm */
export function outboundMessageMetadata(spec: OutboundMessageSpec) {
  return {
    fullName: spec.fullName,
    apiVersion: SALESFORCE_API_VERSION,
    description:
      'Sends opportunities to salesforce-quote-sync. Managed by the integration; edits are overwritten.',
    endpointUrl: spec.endpointUrl,
    fields: spec.fields,
    // Ignored since February 2026 (Salesforce stopped sending session ids), still required.
    includeSessionId: false,
    integrationUser: spec.integrationUser,
    name: spec.name,
    protected: false,
    useDeadLetterQueue: false,
  };
}

export const FLOW_ACTION_NAME = 'Send_to_quote_sync';

/** What Flow Builder writes on a flow it saved on its auto-layout canvas. */
const FLOW_BUILDER_VALUES = [
  { name: 'BuilderType', value: { stringValue: 'LightningFlowBuilder' } },
  { name: 'CanvasMode', value: { stringValue: 'AUTO_LAYOUT_CANVAS' } },
  { name: 'OriginBuilderType', value: { stringValue: 'LightningFlowBuilder' } },
];

/**
 * A record-triggered flow as Flow Builder saves one, so that an admin who opens it sees an
 * ordinary auto-layout flow: start → the outbound-message action, run in the record's own
 * transaction.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_visual_workflow.htm
 */
export function flowMetadata(spec: FlowSpec) {
  return {
    fullName: spec.apiName,
    actionCalls: [
      {
        name: FLOW_ACTION_NAME,
        label: 'Send to quote sync',
        locationX: 176,
        locationY: 323,
        actionName: spec.outboundMessage,
        actionType: 'outboundMessage',
        flowTransactionModel: 'CurrentTransaction',
      },
    ],
    apiVersion: SALESFORCE_API_VERSION,
    description: 'Sends an opportunity when it reaches the chosen stage. Managed by the integration.',
    environments: ['Default'],
    interviewLabel: `${spec.label} {!$Flow.CurrentDateTime}`,
    label: spec.label,
    processMetadataValues: FLOW_BUILDER_VALUES,
    processType: 'AutoLaunchedFlow',
    start: {
      locationX: 50,
      locationY: 0,
      connector: { targetReference: FLOW_ACTION_NAME },
      // on-entry: only when a record is created, or updated, to meet the conditions;
      // while-at-stage: on every save that meets them.
      doesRequireRecordChangedToMeetCriteria: spec.requireRecordChange,
      filterLogic: 'and',
      filters: spec.filters.map((f) => ({
        field: f.field,
        operator: f.operator,
        value: { [f.value.kind]: f.value.value },
      })),
      object: 'Opportunity',
      recordTriggerType: 'CreateAndUpdate',
      triggerType: 'RecordAfterSave',
    },
    status: 'Active',
  };
}
