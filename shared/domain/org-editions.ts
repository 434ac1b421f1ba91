/**
 * Whether a connected org can run the integration. It needs the REST API (reads and the
 * Organization record), the Metadata API (the outbound message and the flow) and flows that send
 * outbound messages. Free Suite, Starter Suite and Essentials have no API access; Professional
 * Edition has it only with the API add-on; Personal, Contact Manager, Group and Team editions
 * have neither flows nor outbound messages.
 * https://help.salesforce.com/s/articleView?id=sf.overview_edition.htm
 */
export interface OrgProbe {
  /** The Organization record; absent when the REST API refused to answer. */
  organization?: { name: string; edition: string; isSandbox: boolean; instanceName?: string };
  api: ProbeResult;
  metadataApi: ProbeResult;
}

export type ProbeResult = { ok: true } | { ok: false; errorCode: string; message: string };

export type Capability = 'api' | 'metadata-api' | 'flows-and-outbound-messages';

export interface OrgAssessment {
  /** OrganizationType as Salesforce reports it ("Enterprise Edition"); null when unreadable. */
  edition: string | null;
  isSandbox: boolean | null;
  name: string | null;
  supported: boolean;
  lacks: Array<{ capability: Capability; reason: string }>;
  /** One sentence for the status: the edition and what it lacks. */
  summary: string;
}

/** Editions that have no flows with outbound messages (and mostly no API), whatever the probes say. */
const EDITIONS_WITHOUT_AUTOMATION = /personal|contact manager|group|team|essentials|starter|free/i;

const API_OFF_CODES = new Set([
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'FUNCTIONALITY_NOT_ENABLED',
]);

export function assessOrg(probe: OrgProbe): OrgAssessment {
  const edition = probe.organization?.edition ?? null;
  const lacks: OrgAssessment['lacks'] = [];
  if (!probe.api.ok) {
    lacks.push({
      capability: 'api',
      reason: API_OFF_CODES.has(probe.api.errorCode)
        ? `the org has no API access (${probe.api.errorCode}: ${probe.api.message}); Free, Starter and Essentials editions have none, Professional Edition only with the API add-on`
        : `the REST API refused: ${probe.api.errorCode}: ${probe.api.message}`,
    });
  }
  if (!probe.metadataApi.ok) {
    lacks.push({
      capability: 'metadata-api',
      reason: API_OFF_CODES.has(probe.metadataApi.errorCode)
        ? `the org has no Metadata API (${probe.metadataApi.errorCode}: ${probe.metadataApi.message})`
        : `the Metadata API refused (${probe.metadataApi.errorCode}: ${probe.metadataApi.message}); the connecting user needs "Modify Metadata Through Metadata API Functions" or "Modify All Data"`,
    });
  }
  if (edition && EDITIONS_WITHOUT_AUTOMATION.test(edition)) {
    lacks.push({
      capability: 'flows-and-outbound-messages',
      reason: `${edition} has no record-triggered flows that send outbound messages`,
    });
  }
  const named = edition ?? 'an org whose edition could not be read';
  const summary =
    lacks.length === 0
      ? `${named}${probe.organization?.isSandbox ? ' (sandbox)' : ''} can run the integration`
      : `${named[0]?.toUpperCase()}${named.slice(1)} cannot run the integration: ${lacks.map((l) => l.reason).join('; ')}`;
  return {
    edition,
    isSandbox: probe.organization?.isSandbox ?? null,
    name: probe.organization?.name ?? null,
    supported: lacks.length === 0,
    lacks,
    summary,
  };
}
