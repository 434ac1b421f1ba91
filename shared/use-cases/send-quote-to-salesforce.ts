import { createHash, randomBytes } from 'node:crypto';
import { AccessDeniedError, type SiteRole } from '../domain/access';
import { ConflictError, QuoteSyncError } from '../domain/errors';
import { parseDecimal } from '../domain/field-mapping';
import type { QuoteDocument, QuoteDocumentSummary } from '../domain/quote-document';
import {
  DEFAULT_CURRENCY,
  documentFingerprint,
  type FileUpload,
  type QuotePdf,
  type QuoteSend,
  sameAmount,
} from '../domain/quote-editing';
import { computeQuoteTotals } from '../domain/quote-lines';
import { PUSH_BACK_DEFAULT_TARGET } from '../domain/settings';
import { addDays, addressLines, DEFAULT_QUOTE_VALIDITY_DAYS } from '../domain/site-profile';
import type { DocumentStore, SiteLogoStore } from '../ports/document-store';
import type { Logger } from '../ports/logger';
import type { EditableQuote, FileVersion, OpportunityPush, QuoteEditor } from '../ports/quote-edits';
import type { QuoteRenderer } from '../ports/quote-renderer';
import type {
  ConnectionRepository,
  SettingsRepository,
  SiteProfileRepository,
  UserRepository,
} from '../ports/site-records';
import type { CompanyRepository, PersonRepository } from '../ports/synced-records';
import { requireQuote } from './edit-quote';

export interface QuotePdfDeps {
  quotes: QuoteEditor;
  profiles: SiteProfileRepository;
  companies: CompanyRepository;
  persons: PersonRepository;
  users: UserRepository;
  renderer: QuoteRenderer;
  documents: DocumentStore;
  logos: Pick<SiteLogoStore, 'get'>;
  now: () => Date;
}

async function quoteDocument(deps: QuotePdfDeps, siteId: string, quoteId: string) {
  const quote = await requireQuote(deps.quotes, siteId, quoteId);
  const currency = quote.currency ?? DEFAULT_CURRENCY;
  const [companies, persons, owner, profileRecord] = await Promise.all([
    quote.companyId ? deps.companies.getMany(siteId, [quote.companyId]) : undefined,
    quote.personId ? deps.persons.getMany(siteId, [quote.personId]) : undefined,
    quote.ownerUserId ? deps.users.get(siteId, quote.ownerUserId) : undefined,
    deps.profiles.get(siteId),
  ]);
  const company = quote.companyId ? companies?.get(quote.companyId) : undefined;
  const person = quote.personId ? persons?.get(quote.personId) : undefined;
  const profile = profileRecord?.profile;
  // The date of the last change of the quote's content, so an unchanged quote renders the same.
  const issuedOn = quote.updatedAt.slice(0, 10);
  const seller = profile
    ? definedOnly({
        name: profile.legalName,
        addressLines: addressLines(profile.address),
        registrationNumber: profile.registrationNumber,
        vatNumber: profile.vatNumber,
        email: profile.email,
        phone: profile.phone,
        website: profile.website,
      })
    : undefined;
  const hasSeller = seller !== undefined && Object.keys(seller).some((k) => k !== 'addressLines');
  const logo = profileRecord?.logo;
  const document: QuoteDocumentSummary = {
    number: quote.number,
    title: quote.title,
    issuedOn,
    validUntil:
      quote.validUntil ?? addDays(issuedOn, profile?.quoteValidityDays ?? DEFAULT_QUOTE_VALIDITY_DAYS),
    ...(quote.description?.trim() ? { description: quote.description.trim() } : {}),
    ...((quote.paymentTerms ?? profile?.paymentTerms)
      ? { paymentTerms: quote.paymentTerms ?? profile?.paymentTerms }
      : {}),
    currency,
    ...(seller && (hasSeller || seller.addressLines.length > 0) ? { seller } : {}),
    ...(logo
      ? {
          logo: {
            contentType: logo.contentType,
            width: logo.width,
            height: logo.height,
            sha256: logo.sha256,
          },
        }
      : {}),
    ...(company
      ? { company: { name: company.name, addressLines: addressLines(company.billingAddress) } }
      : {}),
    ...(person
      ? {
          person: definedOnly({
            name: [person.firstName, person.lastName].filter(Boolean).join(' '),
            title: person.title ?? undefined,
            email: person.email ?? undefined,
            phone: person.phone ?? undefined,
          }),
        }
      : {}),
    ...(owner ? { owner: { name: owner.name, email: owner.email } } : {}),
    lines: quote.lines,
    totals:
      quote.totals && quote.totals.currency === currency
        ? quote.totals
        : computeQuoteTotals(quote.lines, currency),
  };
  return { quote, document, logoKey: logo?.key };
}

/** Drops absent and empty values, so the document (and its fingerprint) holds only what prints. */
function definedOnly<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as T;
}

/**
 * The quote's PDF: the stored one while the quote is unchanged, else a new rendering stored
 * as the next version (earlier versions stay in S3).
 */
export async function quotePdf(deps: QuotePdfDeps, siteId: string, quoteId: string) {
  const described = await quoteDocument(deps, siteId, quoteId);
  const { quote } = described;
  const fingerprint = documentFingerprint(described.document);
  if (quote.pdf?.fingerprint === fingerprint) {
    const body = await deps.documents.get(quote.pdf.key);
    if (body) return { quote, document: described.document, pdf: quote.pdf, body };
  }
  // The logo's bytes are read only to render. An object gone from the bucket (deleted by hand)
  // prints no logo; the fingerprint still names the profile's logo, so this is not rendered anew
  // on every request.
  const { logo: logoInfo, ...withoutLogo } = described.document;
  const logoBytes = logoInfo && described.logoKey ? await deps.logos.get(described.logoKey) : undefined;
  const document: QuoteDocument =
    logoInfo && logoBytes ? { ...withoutLogo, logo: { ...logoInfo, bytes: logoBytes } } : withoutLogo;
  const { pdf: body, missingCharacters } = await deps.renderer.render(document);
  const version = (quote.pdf?.version ?? 0) + 1;
  const { key } = await deps.documents.put({ siteId, quoteId, version, body });
  const pdf: QuotePdf = {
    version,
    key,
    fingerprint,
    renderedAt: deps.now().toISOString(),
    ...(missingCharacters.length > 0 ? { missingCharacters } : {}),
  };
  await deps.quotes.recordPdf(siteId, quoteId, pdf);
  return { quote, document, pdf, body };
}

export interface SendDeps extends QuotePdfDeps {
  settings: SettingsRepository;
  connections: ConnectionRepository;
  push: OpportunityPush;
  logger: Logger;
}

/**
 * POST /sites/{siteId}/quotes/{quoteId}/send-to-salesforce: sets the opportunity's Amount to
 * the quote's net or gross total (`pushBack.amount`, net by default) and checks that it took (Salesforce ignores the update when the opportunity
 * has products), then puts the PDF onto the opportunity (see sendFile). Every send, whatever
 * its outcome, is kept on the quote, which shows the Amount Salesforce holds afterwards.
 */
export async function sendQuoteToSalesforce(
  deps: SendDeps,
  siteId: string,
  quoteId: string,
  role: SiteRole,
): Promise<QuoteSend> {
  const settings = (await deps.settings.get(siteId))?.settings;
  // Users may send only while push-back is on; an admin is told how to turn it on.
  if (!settings?.pushBack.enabled && role === 'user') {
    throw new AccessDeniedError(
      `Send to Salesforce is off for site ${siteId}: only an admin can enable "Sync quoted sum back to Salesforce"`,
      'push-back-disabled',
    );
  }
  if (!settings?.pushBack.enabled) {
    throw new ConflictError(
      `Sending to Salesforce is off for site ${siteId}: enable it in the settings (PUT /sites/${siteId}/salesforce/settings with "pushBack": {"enabled": true})`,
    );
  }
  const connection = await deps.connections.get(siteId);
  if (connection?.status !== 'connected')
    throw new ConflictError(`Site ${siteId} is not connected to Salesforce`);

  const { quote, document, pdf, body } = await quotePdf(deps, siteId, quoteId);
  const sendId = `${deps.now().getTime().toString(36)}${randomBytes(5).toString('hex')}`;
  const { net, total: gross } = document.totals;
  const amountBasis = settings.pushBack.amount;
  const amount = amountBasis === 'gross' ? gross : net;
  // Stored settings from before the key have no target: Amount, as then.
  const target = settings.pushBack.target ?? PUSH_BACK_DEFAULT_TARGET;
  const base = {
    sendId,
    at: deps.now().toISOString(),
    amount,
    amountBasis,
    target,
    net,
    gross,
    currency: document.currency,
    pdfVersion: pdf.version,
  };
  const sent = `${amount} ${document.currency} (${amountBasis === 'gross' ? `gross; net ${net}` : `net; ${gross} with VAT`})`;
  try {
    await deps.push.setSum(siteId, quote.salesforce.opportunityId, target, Number(amount));
    const after = await deps.push.readSum(siteId, quote.salesforce.opportunityId, target);
    const file = await sendFile(deps, siteId, quote, body, sendId);
    const took = sameAmount(after.value, amount);
    const readOnly = !took && target === PUSH_BACK_DEFAULT_TARGET && after.hasLineItems;
    const fileText =
      file.upload === 'unchanged'
        ? `the PDF is unchanged, so version ${file.versionNumber} stays the latest`
        : `the PDF was uploaded as version ${file.versionNumber}`;
    const send: QuoteSend = {
      ...base,
      outcome: took ? 'sent' : readOnly ? 'amount-read-only' : 'failed',
      opportunityAmount: after.amount === null ? null : String(after.amount),
      targetValue: after.value === null ? null : String(after.value),
      contentVersionId: file.contentVersionId,
      contentDocumentId: file.contentDocumentId,
      fileVersion: file.versionNumber,
      upload: file.upload,
      message: took
        ? `${target} set to ${sent}; ${fileText}`
        : readOnly
          ? `The opportunity has products, so Salesforce computes its Amount from them and ignored ${sent}; it stays ${after.amount}. To send the quoted sum all the same, set pushBack.target in the settings to a currency or number field of Opportunity (in the console: Settings → Sync quoted sum back to Salesforce → Quoted sum goes to); ${fileText}`
          : `Salesforce accepted the update but ${target} is ${after.value}, not ${sent}; ${fileText}`,
    };
    await deps.quotes.recordSend(siteId, quoteId, send, {
      contentDocumentId: file.contentDocumentId,
      opportunityAmount: after.amount === null ? null : (parseDecimal(String(after.amount)) ?? null),
    });
    deps.logger.info('Quote sent to Salesforce', {
      siteId,
      quoteId,
      outcome: send.outcome,
      upload: send.upload,
      sendId,
    });
    return send;
  } catch (error) {
    const message =
      error instanceof QuoteSyncError ? error.message : 'Unexpected error; see the service logs';
    await deps.quotes.recordSend(siteId, quoteId, { ...base, outcome: 'failed', message });
    throw error;
  }
}

/**
 * The PDF onto the opportunity: a new version of the quote's file unless its latest version in
 * Salesforce already holds these exact bytes (ContentVersion.Checksum is their MD5), so a
 * re-sent, unchanged quote adds no identical version. A file deleted in Salesforce since the
 * last send is published anew.
 */
async function sendFile(
  deps: SendDeps,
  siteId: string,
  quote: EditableQuote,
  body: Uint8Array,
  sendId: string,
): Promise<Omit<FileVersion, 'checksum'> & { upload: FileUpload }> {
  const latest = quote.contentDocumentId
    ? await deps.push.latestFileVersion(siteId, quote.contentDocumentId)
    : undefined;
  if (latest && latest.checksum === createHash('md5').update(body).digest('hex')) {
    return { ...latest, upload: 'unchanged' };
  }
  const uploaded = await deps.push.uploadFile(siteId, {
    opportunityId: quote.salesforce.opportunityId,
    ...(latest ? { contentDocumentId: latest.contentDocumentId } : {}),
    title: `Quote ${quote.number} - ${quote.title}`.slice(0, 255),
    fileName: `quote-${quote.number}.pdf`,
    data: body,
    marker: `quote-sync send ${sendId}`,
  });
  return { ...uploaded, upload: latest ? 'new-version' : 'new-file' };
}
