import { type QuoteLine, quoteLineSchema } from './quote-lines';

/**
 * The opportunity's products (OpportunityLineItem) as the quote's first lines.
 *
 * They become lines once, when the quote is created: after that the lines belong to the quote,
 * and a sync never rewrites them. What the quote imported is kept as a fingerprint per product,
 * so a later sync can tell people that the products changed in Salesforce (added, removed or
 * edited) without merging anything into lines they may have reworked.
 */

/** One opportunity product as read from Salesforce (numbers as Salesforce writes them). */
export interface OpportunityProduct {
  /** The OpportunityLineItem's id. */
  id: string;
  /** The product's name (Product2.Name; the line's own Name joins the opportunity's to it). */
  name: string | null;
  productCode: string | null;
  description: string | null;
  quantity: string | null;
  /** The sales price (UnitPrice). */
  unitPrice: string | null;
  /** Percent, or null for none. */
  discount: string | null;
}

/** What a quote imported: when, and a fingerprint of each product by its line item id. */
export interface ImportedProducts {
  at: string;
  products: Array<{ id: string; fingerprint: string }>;
}

/** What differs between the products now in Salesforce and those the quote imported. */
export interface ProductsChanged {
  detectedAt: string;
  added: number;
  removed: number;
  changed: number;
  message: string;
}

/**
 * A product's values in 16 hex digits (two 32-bit FNV-1a hashes): enough to tell a change, and
 * plain code, since the console loads this module too (no node:crypto there).
 */
function fingerprint(p: OpportunityProduct): string {
  const text = JSON.stringify([p.name, p.productCode, p.description, p.quantity, p.unitPrice, p.discount]);
  const hash = (seed: number) => {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(16).padStart(8, '0');
  };
  return hash(0x811c9dc5) + hash(0x050c5d1f);
}

/**
 * The lines the products become, in Salesforce's order. A product whose values do not fit a
 * quote line (a quantity of zero, more decimals than a line takes) is left out and named in
 * `skipped`, so the quote still gets the others.
 */
export function linesFromProducts(products: readonly OpportunityProduct[]): {
  lines: QuoteLine[];
  /** The products that became the lines (what `importedProducts` fingerprints). */
  imported: OpportunityProduct[];
  skipped: string[];
} {
  const lines: QuoteLine[] = [];
  const imported: OpportunityProduct[] = [];
  const skipped: string[] = [];
  for (const p of products) {
    const name = (p.name ?? p.productCode ?? 'Product').slice(0, 200);
    const parsed = quoteLineSchema.safeParse({
      name,
      description: p.description?.slice(0, 2000) ?? null,
      productCode: p.productCode?.slice(0, 100) ?? null,
      quantity: p.quantity ?? '1',
      unitPrice: p.unitPrice ?? '0',
      discountPercent: p.discount ?? '0',
    });
    if (parsed.success) {
      lines.push(parsed.data);
      imported.push(p);
    } else skipped.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return { lines, imported, skipped };
}

export function importedProducts(products: readonly OpportunityProduct[], at: string): ImportedProducts {
  return { at, products: products.map((p) => ({ id: p.id, fingerprint: fingerprint(p) })) };
}

/**
 * Compares the products in Salesforce with what the quote imported: null when they are the same
 * (or back to the same), else what changed. A quote that imported nothing (created before
 * products were imported, or with the import off) counts every product as added.
 */
export function productChanges(
  imported: ImportedProducts | undefined,
  now: readonly OpportunityProduct[],
  at: string,
): ProductsChanged | null {
  const before = new Map((imported?.products ?? []).map((p) => [p.id, p.fingerprint]));
  let added = 0;
  let changed = 0;
  for (const p of now) {
    const was = before.get(p.id);
    if (was === undefined) added++;
    else if (was !== fingerprint(p)) changed++;
    before.delete(p.id);
  }
  const removed = before.size;
  if (added + changed + removed === 0) return null;
  const parts = [
    added ? `${added} added` : '',
    changed ? `${changed} changed` : '',
    removed ? `${removed} removed` : '',
  ].filter(Boolean);
  return {
    detectedAt: at,
    added,
    removed,
    changed,
    message: `Products changed in Salesforce since this quote was created (${parts.join(', ')}); the quote's lines are as people left them`,
  };
}
