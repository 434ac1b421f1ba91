import type { LogoContentType } from '../domain/site-logo';

/** Where one rendered quote PDF belongs: one object per site, quote and version. */
export interface QuoteDocumentRef {
  siteId: string;
  quoteId: string;
  /** 1, 2, …: a new rendering is a new version, earlier ones stay readable. */
  version: number;
}

export interface DocumentStore {
  /** Stores the PDF (overwriting the same version) and answers the key it was stored under. */
  put(document: QuoteDocumentRef & { body: Uint8Array }): Promise<{ key: string }>;
  /** The stored bytes, or undefined when nothing is stored under the key. */
  get(key: string): Promise<Uint8Array | undefined>;
}

/** The site's logo, one object per content: a new logo is a new object, so a cached key never shows another. */
export interface SiteLogoStore {
  put(logo: { siteId: string; sha256: string; contentType: LogoContentType; body: Uint8Array }): Promise<{
    key: string;
  }>;
  /** The stored bytes, or undefined when nothing is stored under the key. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Removes the object; nothing there is no error. */
  delete(key: string): Promise<void>;
}
