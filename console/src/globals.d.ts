/** Set by console/build.ts: where pdf.js's worker is served, beside the app. */
declare const __PDF_WORKER_URL__: string;
