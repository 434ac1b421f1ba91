import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { LocalMount, LocalResponse } from './http-gateway';

/**
 * The console's built files at the API's own URL, as CloudFront serves them from the bucket in
 * AWS: `/` is index.html, every other path a file under the build folder (no listing, nothing
 * outside it). The console routes with the URL's fragment (`/#/…`), so no path needs a fallback
 * to index.html (which CloudFront could only give the whole distribution, API errors included).
 */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head><body><main><h1>The console is not built</h1><p>Run <code>npm run build:console</code> (or restart <code>npm start</code>, which builds it when it is missing or stale), then reload. The API answers as usual.</p></main></body></html>`;

export function consoleFiles(root: string): LocalMount {
  const base = resolve(root);
  return async ({ url }): Promise<LocalResponse | undefined> => {
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return undefined;
    }
    if (path.includes('\0')) return undefined;
    const file = resolve(join(base, path === '/' ? 'index.html' : path));
    if (file !== base && !file.startsWith(`${base}${sep}`)) return undefined;
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) {
      return path === '/'
        ? {
            status: 503,
            headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
            body: NOT_BUILT,
          }
        : undefined;
    }
    return {
      status: 200,
      headers: {
        'content-type': contentTypeOf(file),
        // Rebuilt in place while npm start runs: always revalidate.
        'cache-control': 'no-cache',
        'last-modified': found.mtime.toUTCString(),
      },
      body: await readFile(file),
    };
  };
}
