import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';

/**
 * Renders a PDF's pages onto canvases with pdf.js (loaded on demand: it is the console's
 * largest part). pdf.js evaluates no strings, and without font faces it needs nothing from the
 * page's CSP but its own worker: glyphs are drawn as paths.
 */
GlobalWorkerOptions.workerSrc = new URL(__PDF_WORKER_URL__, document.baseURI).href;

export async function renderPdf(bytes: ArrayBuffer, into: HTMLElement, label: string): Promise<number> {
  const loading = getDocument({ data: new Uint8Array(bytes), disableFontFace: true });
  try {
    const pdf = await loading.promise;
    const canvases: HTMLCanvasElement[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const viewport = page.getViewport({ scale: 2 });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `${label}, page ${number} of ${pdf.numPages}`);
      await page.render({ canvas, viewport }).promise;
      canvases.push(canvas);
    }
    into.replaceChildren(...canvases);
    return pdf.numPages;
  } finally {
    await loading.destroy();
  }
}
