import type { FlowStatus, FlowVersion } from './model';
import type { FlowDefinitionRecord, StoredOutboundMessage } from './repository';
import { sequenceOf } from './schema';
import { escapeXml, leaf, serializeElement, type XmlElement } from './xml';

function recordXml(type: string, fullName: string, children: XmlElement[]): string {
  return `<records xsi:type="${type}"><fullName>${escapeXml(fullName)}</fullName>${children.map(serializeElement).join('')}</records>`;
}

export const NIL_RECORD = '<records xsi:nil="true"/>';

export function outboundMessageRecordXml(message: StoredOutboundMessage): string {
  return recordXml('WorkflowOutboundMessage', message.fullName, message.xml.children);
}

/** The saved elements, with `status` showing the version's current state (an old Active version reads as Obsolete). */
function withStatus(children: XmlElement[], status: FlowStatus): XmlElement[] {
  const statusElement = leaf('status', status);
  if (children.some((c) => c.local === 'status')) {
    return children.map((c) => (c.local === 'status' ? statusElement : c));
  }
  const order = sequenceOf('Flow').map((def) => def.name);
  const statusIndex = order.indexOf('status');
  const insertAt = children.findIndex((c) => order.indexOf(c.local) > statusIndex);
  if (insertAt === -1) return [...children, statusElement];
  return [...children.slice(0, insertAt), statusElement, ...children.slice(insertAt)];
}

export function flowRecordXml(version: FlowVersion, fullName: string): string {
  return recordXml('Flow', fullName, withStatus(version.xml.children, version.status));
}

/** FlowDefinition: activeVersionNumber (0 when no version is active) and masterLabel. */
export function flowDefinitionRecordXml(definition: FlowDefinitionRecord): string {
  const active = definition.versions.find((v) => v.status === 'Active');
  const latest = definition.versions[definition.versions.length - 1];
  return recordXml('FlowDefinition', definition.fullName, [
    leaf('activeVersionNumber', String(active?.versionNumber ?? 0)),
    leaf('masterLabel', latest?.label ?? definition.fullName),
  ]);
}
