import type { SaveError } from './model';
import { escapeXml } from './xml';

/** Elements follow the WSDL's sequences: SaveResult (errors, fullName, success), UpsertResult (created first). */
function errorXml(error: SaveError): string {
  const fields = error.fields.map((field) => `<fields>${escapeXml(field)}</fields>`).join('');
  return `<errors>${fields}<message>${escapeXml(error.message)}</message><statusCode>${error.statusCode}</statusCode></errors>`;
}

export interface SaveOutcome {
  fullName: string | undefined;
  errors: SaveError[];
  created?: boolean;
}

export function saveResultXml(outcome: SaveOutcome, withCreated: boolean): string {
  const created = withCreated ? `<created>${outcome.created === true}</created>` : '';
  const fullName =
    outcome.fullName === undefined
      ? '<fullName xsi:nil="true"/>'
      : `<fullName>${escapeXml(outcome.fullName)}</fullName>`;
  const success = `<success>${outcome.errors.length === 0}</success>`;
  return `<result>${created}${outcome.errors.map(errorXml).join('')}${fullName}${success}</result>`;
}

export interface FileProperties {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  type: string;
}

export function filePropertiesXml(p: FileProperties): string {
  return (
    '<result>' +
    `<createdById>${p.createdById}</createdById><createdByName>${escapeXml(p.createdByName)}</createdByName>` +
    `<createdDate>${p.createdDate}</createdDate><fileName>${escapeXml(p.fileName)}</fileName>` +
    `<fullName>${escapeXml(p.fullName)}</fullName><id>${p.id}</id>` +
    `<lastModifiedById>${p.lastModifiedById}</lastModifiedById>` +
    `<lastModifiedByName>${escapeXml(p.lastModifiedByName)}</lastModifiedByName>` +
    `<lastModifiedDate>${p.lastModifiedDate}</lastModifiedDate><manageableState>unmanaged</manageableState>` +
    `<type>${p.type}</type>` +
    '</result>'
  );
}

export function describeMetadataXml(): string {
  const objects = [
    {
      childXmlNames: ['WorkflowOutboundMessage'],
      directoryName: 'workflows',
      suffix: 'workflow',
      xmlName: 'Workflow',
    },
    { childXmlNames: [], directoryName: 'flows', suffix: 'flow', xmlName: 'Flow' },
    {
      childXmlNames: [],
      directoryName: 'flowDefinitions',
      suffix: 'flowDefinition',
      xmlName: 'FlowDefinition',
    },
  ];
  const metadataObjects = objects
    .map(
      (o) =>
        '<metadataObjects>' +
        o.childXmlNames.map((name) => `<childXmlNames>${name}</childXmlNames>`).join('') +
        `<directoryName>${o.directoryName}</directoryName><inFolder>false</inFolder><metaFile>false</metaFile>` +
        `<suffix>${o.suffix}</suffix><xmlName>${o.xmlName}</xmlName></metadataObjects>`,
    )
    .join('');
  return `<result>${metadataObjects}<organizationNamespace></organizationNamespace><partialSaveAllowed>true</partialSaveAllowed><testRequired>false</testRequired></result>`;
}
