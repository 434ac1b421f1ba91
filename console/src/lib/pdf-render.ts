import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';

/**
 * Renders a PDF's pages onto canvases with pdf.js (loaded on demand: it is the console's
 * largest part). No eval and no font faces, so the page's CSP stays strict; glyphs are drawn as
 * paths.
 */
GlobalWorkerOptions.workerSrc = new URL(__PDF_WORKER_URL__, document.baseURI).href;

export async function renderPdf(bytes: ArrayBuffer, into: HTMLElement, label: string): Promise<number> {
  const pdf = await getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
  }).promise;
  const canvases: HTMLCanvasElement[] = [];
  try {
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const scale = 2;
      const viewport = page.getViewport({ scale });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `${label}, page ${number} of ${pdf.numPages}`);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('this browser cannot draw on a canvas');
      await page.render({ canvasContext: context, viewport }).promise;
      canvases.push(canvas);
    }
    into.replaceChildren(...canvases);
    return pdf.numPages;
  } finally {
    await pdf.destroy();
  }
}
