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
