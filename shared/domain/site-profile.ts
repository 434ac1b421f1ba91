import * as z from 'zod';
import type { SiteLogo } from './site-logo';

/**
 * Who sends the quotes of a site: the seller printed on every quote (legal name, address,
 * registration and VAT numbers, contact details) and the defaults of a quote's terms. Every
 * field is optional; a quote prints what is there and nothing for what is not.
 */
const text = (max: number) => z.string().trim().min(1).max(max).optional();

export const siteProfileSchema = z.strictObject({
  legalName: text(200),
  address: z
    .strictObject({
      street: text(200),
      postalCode: text(20),
      city: text(100),
      state: text(100),
      country: text(100),
    })
    .optional(),
  registrationNumber: text(50),
  vatNumber: text(50),
  email: z.email().max(254).optional(),
  phone: text(50),
  website: text(200),
  /** Printed on quotes that have no payment terms of their own. */
  paymentTerms: text(2000),
  /** A quote without its own validity date is valid this many days after its date. */
  quoteValidityDays: z.number().int().min(1).max(365).default(30),
});
export type SiteProfile = z.infer<typeof siteProfileSchema>;

export const DEFAULT_QUOTE_VALIDITY_DAYS = 30;

/**
 * The stored profile: what the admin put, and when; and the logo, uploaded on its own (a `PUT`
 * of the profile keeps it). An item may hold a logo before any profile was saved.
 */
export interface SiteProfileRecord {
  siteId: string;
  profile?: SiteProfile;
  updatedAt?: string;
  logo?: SiteLogo;
}

type AddressParts = Partial<Record<'street' | 'postalCode' | 'city' | 'state' | 'country', string | null>>;

/** An address as printed: street; postal code and city; state; country (empty parts left out). */
export function addressLines(address: AddressParts | undefined): string[] {
  if (!address) return [];
  return [
    address.street,
    [address.postalCode, address.city].filter(Boolean).join(' '),
    address.state,
    address.country,
  ].filter((line): line is string => Boolean(line));
}

/** yyyy-mm-dd plus whole days, in UTC (dates on quotes carry no time zone). */
export function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}
