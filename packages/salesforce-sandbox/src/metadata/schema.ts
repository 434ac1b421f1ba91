import { invalidElementFault, SoapFault } from './soap';
import { isNil, type XmlElement } from './xml';

/**
 * The parts of the Metadata API WSDL (http://soap.sforce.com/2006/04/metadata) this sandbox accepts.
 * Each complex type is an `xsd:sequence` extending its base, so children must come in base-first,
 * then declared order (alphabetical within each level); Salesforce rejects anything else with
 * "Element {…}x invalid at this location in type T". Types the sandbox does not model are `any`:
 * accepted and stored, not looked into.
 */
interface ElementDef {
  name: string;
  type: string;
  many: boolean;
}

interface ComplexTypeDef {
  base?: string;
  elements: ElementDef[];
}

/** `name:type`, with a trailing `*` for maxOccurs="unbounded". */
function seq(...specs: string[]): ElementDef[] {
  return specs.map((spec) => {
    const many = spec.endsWith('*');
    const [name = '', type = 'any'] = (many ? spec.slice(0, -1) : spec).split(':');
    return { name, type, many };
  });
}

const COMPLEX_TYPES: Record<string, ComplexTypeDef> = {
  Metadata: { elements: seq('fullName:string') },
  WorkflowAction: { base: 'Metadata', elements: [] },
  // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_workflow.htm (WorkflowOutboundMessage)
  WorkflowOutboundMessage: {
    base: 'WorkflowAction',
    elements: seq(
      'apiVersion:double',
      'description:string',
      'endpointUrl:string',
      'fields:string*',
      'includeSessionId:boolean',
      'integrationUser:string',
      'name:string',
      'protected:boolean',
      'useDeadLetterQueue:boolean',
    ),
  },
  // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_visual_workflow.htm
  Flow: {
    base: 'Metadata',
    elements: seq(
      'actionCalls:FlowActionCall*',
      'apexPluginCalls:any*',
      'apiVersion:double',
      'areMetricsLoggedToDataCloud:boolean',
      'assignments:any*',
      'choices:any*',
      'collectionProcessors:any*',
      'constants:any*',
      'customErrors:any*',
      'customProperties:any*',
      'decisions:any*',
      'description:string',
      'dynamicChoiceSets:any*',
      'environments:string*',
      'exitRules:any*',
      'experiments:any*',
      'formulas:any*',
      'interviewLabel:string',
      'isAdditionalPermissionRequiredToRun:boolean',
      'isOverridable:boolean',
      'isTemplate:boolean',
      'label:string',
      'loops:any*',
      'migratedFromWorkflowRuleName:string',
      'orchestratedStages:any*',
      'overriddenFlow:string',
      'processMetadataValues:FlowMetadataValue*',
      'processType:FlowProcessType',
      'recordCreates:any*',
      'recordDeletes:any*',
      'recordLookups:any*',
      'recordRollbacks:any*',
      'recordUpdates:any*',
      'runInMode:string',
      'screens:any*',
      'sourceTemplate:string',
      'stages:any*',
      'start:FlowStart',
      'startElementReference:string',
      'status:FlowVersionStatus',
      'steps:any*',
      'subflows:any*',
      'textTemplates:any*',
      'timeZoneSidKey:string',
      'transforms:any*',
      'triggerOrder:int',
      'variables:any*',
      'waits:any*',
    ),
  },
  FlowBaseElement: { elements: seq('processMetadataValues:FlowMetadataValue*') },
  FlowElement: { base: 'FlowBaseElement', elements: seq('description:string', 'name:string') },
  FlowNode: {
    base: 'FlowElement',
    elements: seq('elementSubtype:string', 'label:string', 'locationX:int', 'locationY:int'),
  },
  FlowMetadataValue: { elements: seq('name:string', 'value:FlowElementReferenceOrValue') },
  FlowConnector: { base: 'FlowBaseElement', elements: seq('isGoTo:boolean', 'targetReference:string') },
  FlowStart: {
    base: 'FlowNode',
    elements: seq(
      'activation:string',
      'activationTemplate:string',
      'capabilityTypes:any*',
      'conditionLogic:string',
      'conditions:any*',
      'connector:FlowConnector',
      'dataGraph:string',
      'dataTypeMappings:any*',
      'doesRequireRecordChangedToMeetCriteria:boolean',
      'entryType:string',
      'eventName:string',
      'eventType:string',
      'filterFormula:string',
      'filterLogic:string',
      'filters:FlowRecordFilter*',
      'flowRunAsUser:string',
      'form:string',
      'inputs:any*',
      'object:string',
      'objectContainer:string',
      'publishSegment:boolean',
      'recordTriggerType:RecordTriggerType',
      'schedule:any',
      'scheduledPaths:any*',
      'segment:string',
      'triggerType:FlowTriggerType',
      'triggeringDataGraph:string',
      'triggeringDataModelObjectPath:string',
    ),
  },
  FlowRecordFilter: {
    base: 'FlowBaseElement',
    elements: seq('field:string', 'operator:FlowRecordFilterOperator', 'value:FlowElementReferenceOrValue'),
  },
  FlowElementReferenceOrValue: {
    elements: seq(
      'apexValue:string',
      'booleanValue:boolean',
      'complexValue:string',
      'complexValueType:string',
      'dateTimeValue:dateTime',
      'dateValue:date',
      'elementReference:string',
      'formulaDataType:string',
      'formulaExpression:string',
      'numberValue:double',
      'setupReference:string',
      'setupReferenceType:string',
      'sobjectValue:string',
      'stringValue:string',
      'timeValue:string',
      'transform:any',
      'transformValueReference:string',
    ),
  },
  FlowActionCall: {
    base: 'FlowNode',
    elements: seq(
      'actionCallPaths:any*',
      'actionName:string',
      'actionType:string',
      'connector:FlowConnector',
      'dataTypeMappings:any*',
      'faultConnector:FlowConnector',
      'flowTransactionModel:string',
      'inputParameters:FlowActionCallInputParameter*',
      'isWaitUntilCompleted:boolean',
      'nameSegment:string',
      'offset:int',
      'offsetUnit:string',
      'outputParameters:any*',
      'storeOutputAutomatically:boolean',
      'timeoutConnector:FlowConnector',
      'versionSegment:int',
      'versionString:string',
    ),
  },
  FlowActionCallInputParameter: {
    base: 'FlowBaseElement',
    elements: seq('name:string', 'value:FlowElementReferenceOrValue'),
  },
};

const ENUMS: Record<string, readonly string[]> = {
  FlowVersionStatus: ['Active', 'Draft', 'Obsolete', 'InvalidDraft'],
  RecordTriggerType: ['Update', 'Create', 'CreateAndUpdate', 'Delete', 'None'],
  FlowTriggerType: [
    'None',
    'Scheduled',
    'RecordBeforeSave',
    'RecordBeforeDelete',
    'RecordAfterSave',
    'PlatformEvent',
    'EventDrivenJourney',
    'Segment',
    'DataCloudDataChange',
    'FormSubmissionEvent',
    'Capability',
    'AutomationEvent',
    'ExternalSystemChange',
    'DataGraphDataChange',
    'Activation',
    'AdminAutomationEvent',
  ],
  FlowRecordFilterOperator: [
    'EqualTo',
    'NotEqualTo',
    'GreaterThan',
    'LessThan',
    'GreaterThanOrEqualTo',
    'LessThanOrEqualTo',
    'StartsWith',
    'EndsWith',
    'Contains',
    'IsNull',
    'IsChanged',
    'In',
    'NotIn',
  ],
  FlowProcessType: [
    'AutoLaunchedFlow',
    'Flow',
    'Workflow',
    'CustomEvent',
    'InvocableProcess',
    'LoginFlow',
    'ActionPlan',
    'JourneyBuilderIntegration',
    'UserProvisioningFlow',
    'Survey',
    'SurveyEnrich',
    'Appointments',
    'FSCLending',
    'DigitalForm',
    'FieldServiceMobile',
    'OrchestrationFlow',
    'FieldServiceWeb',
    'TransactionSecurityFlow',
    'ContactRequestFlow',
    'ActionCadenceFlow',
    'ManagedContentFlow',
    'CheckoutFlow',
    'CartAsyncFlow',
    'CustomerLifecycle',
    'Journey',
    'RecommendationStrategy',
    'Orchestrator',
    'RoutingFlow',
    'ServiceCatalogItemFlow',
    'EvaluationFlow',
    'LoyaltyManagementFlow',
  ],
};

/** The full sequence of a type: its base's elements first, then its own. */
export function sequenceOf(typeName: string): ElementDef[] {
  const def = COMPLEX_TYPES[typeName];
  if (!def) return [];
  return [...(def.base ? sequenceOf(def.base) : []), ...def.elements];
}

function checkSimple(value: string, type: string): string | undefined {
  const values = ENUMS[type];
  if (values) {
    return values.includes(value) ? undefined : `'${value}' is not a valid value for the enum '${type}'`;
  }
  switch (type) {
    case 'boolean':
      return ['true', 'false', '1', '0'].includes(value)
        ? undefined
        : `Unable to parse '${value}' as boolean`;
    case 'double':
      return value !== '' && Number.isFinite(Number(value))
        ? undefined
        : `Unable to parse '${value}' as double`;
    case 'int':
      return /^[+-]?\d+$/.test(value) ? undefined : `Unable to parse '${value}' as int`;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : `Unable to parse '${value}' as date`;
    case 'dateTime':
      return Number.isNaN(Date.parse(value)) ? `Unable to parse '${value}' as dateTime` : undefined;
    default:
      return undefined;
  }
}

/** Throws the SOAP fault Salesforce's parser would raise for an element that breaks the schema. */
export function validateAgainstSchema(element: XmlElement, typeName: string): void {
  if (!COMPLEX_TYPES[typeName]) {
    if (isNil(element)) return;
    const problem = checkSimple(element.text, typeName);
    if (problem) throw new SoapFault('soapenv:Client', problem);
    return;
  }
  const sequence = sequenceOf(typeName);
  let position = -1;
  for (const child of element.children) {
    const index = sequence.findIndex((def) => def.name === child.local);
    const def = sequence[index];
    if (!def || index < position || (index === position && !def.many)) {
      throw invalidElementFault(child.local, typeName);
    }
    position = index;
    if (def.type !== 'any') validateAgainstSchema(child, def.type);
  }
}
