import { emailKey } from '../../domain/synced-records';

/**
 * Every key of the one table, built here and nowhere else (adapters and the tests that read raw
 * items both use this module). The partition key always starts with the site, so no query can
 * reach another site's items; only the sign-in index is keyed by e-mail across sites.
 *
 *   item                 pk             sk                                         gsi1pk / gsi1sk                              gsi2pk / gsi2sk
 *   site                 SITE#<site>    SITE
 *   settings             SITE#<site>    SETTINGS
 *   site profile         SITE#<site>    PROFILE
 *   Salesforce link      SITE#<site>    SALESFORCE#CONNECTION
 *   pending OAuth        SITE#<site>    OAUTH#<nonce>
 *   Connect refusal      SITE#<site>    SALESFORCE#REFUSAL
 *   user                 SITE#<site>    USER#<userId>                              SIGNIN#<e-mail> / SITE#<site>#USER#<userId>
 *   sync run             SITE#<site>    SYNCRUN#<runId>
 *   sync-run lock        SITE#<site>    SYNCRUN#ACTIVE
 *   reconciliation       SITE#<site>    RECONCILE
 *   API usage            SITE#<site>    APIUSAGE#<YYYY-MM-DD>
 *   worker's API usage   SITE#<site>    APIUSAGE#<YYYY-MM-DD>#<environment>
 *   quote                SITE#<site>    QUOTE#<quoteId>                            SITE#<site>#OPPORTUNITY#<id18> / QUOTE#<id>   SITE#<site>#QUOTES / NUMBER#<000000001042>
 *   quote send           SITE#<site>    QUOTESEND#<quoteId>#<at>#<sendId>
 *   quote counter        SITE#<site>    COUNTER#quote
 *   project counter      SITE#<site>    COUNTER#project
 *   company              SITE#<site>    COMPANY#<companyId>                        SITE#<site>#ACCOUNT#<id18> / COMPANY#<id>
 *   person               SITE#<site>    PERSON#<personId>                          SITE#<site>#CONTACT#<id18> / PERSON#<id>      SITE#<site>#EMAIL#<e-mail> / PERSON#<id>
 *   sync log entry       SITE#<site>    SYNCLOG#<opportunityId18>#<processedAt>#<attempt>  SITE#<site>#SYNCLOG#<outcome> / <time key>  SITE#<site>#SYNCLOG / <time key>
 *                                       (time key: <processedAt>#<opportunityId18>#<attempt>)
 *   logged opportunity   SITE#<site>    SYNCOPP#<opportunityId18>                  SITE#<site>#OPPNAME / <searchable name>#<id18>
 *   activity             SITE#<site>    ACTIVITY#<opportunityId18>#<at>#<random>
 *   project              SITE#<site>    PROJECT#<projectId>                        SITE#<site>#OPPORTUNITY#<id18> / PROJECT#<id>  SITE#<site>#PROJECTS / NUMBER#<000000000007>
 *   time entry           SITE#<site>    TIMEENTRY#<projectId>#<entryId>
 *   idempotency record   SITE#<site>#IDEMPOTENCY  <operation and key, hashed> (Powertools)
 */
export const sitePartition = (siteId: string) => `SITE#${siteId}`;

/** Sort-key prefixes of the items a site's partition is queried for. */
export const SORT_PREFIX = {
  user: 'USER#',
  quote: 'QUOTE#',
  company: 'COMPANY#',
  person: 'PERSON#',
  syncLog: 'SYNCLOG#',
  loggedOpportunity: 'SYNCOPP#',
  activity: 'ACTIVITY#',
  project: 'PROJECT#',
  timeEntry: 'TIMEENTRY#',
} as const;

const key = (siteId: string, sk: string) => ({ pk: sitePartition(siteId), sk });

/** The primary key of each item. */
export const itemKeys = {
  site: (siteId: string) => key(siteId, 'SITE'),
  settings: (siteId: string) => key(siteId, 'SETTINGS'),
  profile: (siteId: string) => key(siteId, 'PROFILE'),
  connection: (siteId: string) => key(siteId, 'SALESFORCE#CONNECTION'),
  oauthState: (siteId: string, nonce: string) => key(siteId, `OAUTH#${nonce}`),
  connectRefusal: (siteId: string) => key(siteId, 'SALESFORCE#REFUSAL'),
  user: (siteId: string, userId: string) => key(siteId, `${SORT_PREFIX.user}${userId}`),
  syncRun: (siteId: string, runId: string) => key(siteId, `SYNCRUN#${runId}`),
  syncRunLock: (siteId: string) => key(siteId, 'SYNCRUN#ACTIVE'),
  quote: (siteId: string, quoteId: string) => key(siteId, `${SORT_PREFIX.quote}${quoteId}`),
  /** One Send to Salesforce of a quote, apart from the quote, so its history never grows the quote's item. */
  quoteSend: (siteId: string, quoteId: string, at: string, sendId: string) =>
    key(siteId, `${quoteSendPrefix(quoteId)}${at}#${sendId}`),
  quoteCounter: (siteId: string) => key(siteId, 'COUNTER#quote'),
  projectCounter: (siteId: string) => key(siteId, 'COUNTER#project'),
  reconciliation: (siteId: string) => key(siteId, 'RECONCILE'),
  apiUsage: (siteId: string, day: string) => key(siteId, apiUsagePrefix(day)),
  /** One sync worker environment's calls of the day (it alone writes it, each put the day's total so far). */
  environmentApiUsage: (siteId: string, day: string, environmentId: string) =>
    key(siteId, `${apiUsagePrefix(day)}#${environmentId}`),
  /** Marks a site whose older quotes carry their listing keys. */
  quoteListMigration: (siteId: string) => key(siteId, 'MIGRATION#quote-list-keys'),
  company: (siteId: string, companyId: string) => key(siteId, `${SORT_PREFIX.company}${companyId}`),
  person: (siteId: string, personId: string) => key(siteId, `${SORT_PREFIX.person}${personId}`),
  syncLog: (siteId: string, opportunityId18: string, processedAt: string, attempt: string) =>
    key(siteId, `${syncLogPrefix(opportunityId18)}${processedAt}#${attempt}`),
  /** A sync log entry by its entry key (its sort key without the prefix), as the API names it. */
  syncLogEntry: (siteId: string, entryKey: string) => key(siteId, `${SORT_PREFIX.syncLog}${entryKey}`),
  loggedOpportunity: (siteId: string, opportunityId18: string) =>
    key(siteId, `${SORT_PREFIX.loggedOpportunity}${opportunityId18}`),
  activity: (siteId: string, opportunityId18: string, at: string, suffix: string) =>
    key(siteId, `${activityPrefix(opportunityId18)}${at}#${suffix}`),
  project: (siteId: string, projectId: string) => key(siteId, `${SORT_PREFIX.project}${projectId}`),
  timeEntry: (siteId: string, projectId: string, entryId: string) =>
    key(siteId, `${timeEntryPrefix(projectId)}${entryId}`),
};

/** The sort-key prefix of a day's API usage items: the shared counter and each worker environment's. */
export const apiUsagePrefix = (day: string) => `APIUSAGE#${day}`;
/** The sort-key prefix of one quote's sends, oldest first. */
export const quoteSendPrefix = (quoteId: string) => `QUOTESEND#${quoteId}#`;
/** The sort-key prefix of one opportunity's sync log entries. */
export const syncLogPrefix = (opportunityId18: string) => `${SORT_PREFIX.syncLog}${opportunityId18}#`;
/** The sort-key prefix of what people did to one opportunity's quote. */
export const activityPrefix = (opportunityId18: string) => `${SORT_PREFIX.activity}${opportunityId18}#`;
/** The sort-key prefix of one project's time entries. */
export const timeEntryPrefix = (projectId: string) => `${SORT_PREFIX.timeEntry}${projectId}#`;
/** The sync log's index sort key: time first, so a time range is a key condition. */
export const syncLogTimeKey = (processedAt: string, opportunityId18: string, attempt: string) =>
  `${processedAt}#${opportunityId18}#${attempt}`;

/** Partition keys of the secondary indexes. */
export const indexPartitions = {
  /** gsi1: the quotes of an opportunity, and its projects (sort keys QUOTE#… and PROJECT#…). */
  opportunityQuotes: (siteId: string, opportunityId18: string) =>
    `${sitePartition(siteId)}#OPPORTUNITY#${opportunityId18}`,
  /** gsi1: the company of an account. */
  accountCompany: (siteId: string, accountId18: string) => `${sitePartition(siteId)}#ACCOUNT#${accountId18}`,
  /** gsi1: the person linked to a contact. */
  contactPerson: (siteId: string, contactId18: string) => `${sitePartition(siteId)}#CONTACT#${contactId18}`,
  /** gsi1: users with a console role, by e-mail, across sites (sign-in). */
  signIn: (email: string) => `SIGNIN#${emailKey(email)}`,
  /** gsi2: persons by e-mail. */
  emailPersons: (siteId: string, email: string) => `${sitePartition(siteId)}#EMAIL#${emailKey(email)}`,
  /** gsi2: the site's quotes by number. */
  quoteList: (siteId: string) => `${sitePartition(siteId)}#QUOTES`,
  /** gsi2: the site's projects by number. */
  projectList: (siteId: string) => `${sitePartition(siteId)}#PROJECTS`,
  /** gsi2: the site's sync log, newest first. */
  syncLog: (siteId: string) => `${sitePartition(siteId)}#SYNCLOG`,
  /** gsi1: the site's sync log entries of one outcome. */
  syncLogByOutcome: (siteId: string, outcome: string) => `${sitePartition(siteId)}#SYNCLOG#${outcome}`,
  /** gsi1: the logged opportunities by searchable name. */
  opportunityNames: (siteId: string) => `${sitePartition(siteId)}#OPPNAME`,
  /** The partition of Powertools idempotency records (a partition of their own per site). */
  idempotency: (siteId: string) => `${sitePartition(siteId)}#IDEMPOTENCY`,
};

/** gsi2's sort keys of the quote and project lists: zero-padded numbers, so the string order is the numeric one. */
export const QUOTE_NUMBER_PREFIX = 'NUMBER#';
export const quoteNumberSortKey = (number: number) =>
  `${QUOTE_NUMBER_PREFIX}${String(number).padStart(12, '0')}`;
export const PROJECT_NUMBER_PREFIX = QUOTE_NUMBER_PREFIX;
export const projectNumberSortKey = quoteNumberSortKey;

/** gsi1's sort key of a user: the user's own primary key in one string. */
export const userSignInSortKey = (siteId: string, userId: string) =>
  `${sitePartition(siteId)}#${SORT_PREFIX.user}${userId}`;
