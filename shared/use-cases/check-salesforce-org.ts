import { assessOrg, type OrgAssessment } from '../domain/org-editions';
import type { Logger } from '../ports/logger';
import type { SalesforceOrgs } from '../ports/salesforce';
import type { ConnectionRepository } from '../ports/site-records';

export interface CheckOrgDeps {
  orgs: SalesforceOrgs;
  connections: ConnectionRepository;
  logger: Logger;
  now: () => Date;
}

/**
 * Reads what the connected org is (edition, sandbox or not) and whether the APIs the integration
 * needs answer, and keeps the verdict with the connection: an org that cannot run the
 * integration gets a status naming its edition and what it lacks, instead of a deploy error
 * later. A check that could not be made (Salesforce unreachable) changes nothing.
 */
export async function checkSalesforceOrg(
  deps: CheckOrgDeps,
  siteId: string,
): Promise<(OrgAssessment & { checkedAt: string }) | undefined> {
  const org = await deps.orgs.forSite(siteId);
  let assessment: OrgAssessment;
  try {
    assessment = assessOrg(await org.probe());
  } catch (error) {
    deps.logger.warn('Checking the Salesforce org failed', {
      siteId,
      reason: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
  const checked = { ...assessment, checkedAt: deps.now().toISOString() };
  await deps.connections.saveOrgAssessment(siteId, checked);
  if (!assessment.supported) {
    deps.logger.warn('Salesforce org cannot run the integration', {
      siteId,
      edition: assessment.edition,
      lacks: assessment.lacks.map((l) => l.capability),
    });
  }
  return checked;
}
