/**
 * The secretaries' page as the API serves it at `GET /`: one self-contained HTML document
 * (script and style inline, nothing fetched from elsewhere) and the CSP that admits
 * exactly its inline script and style by hash. The source is web/ (TypeScript, CSS,
 * HTML); shared/web/build.ts builds it into page.generated.ts (`npm run build:web`).
 */
import { PAGE_CSP, PAGE_HTML } from './page.generated.ts';

export interface Page {
  readonly html: string;
  /** The Content-Security-Policy header to serve it with. */
  readonly csp: string;
}

const PAGE: Page = { html: PAGE_HTML, csp: PAGE_CSP };

/** The page (built ahead, so this is a constant: nothing to read or build at cold start). */
export function loadPage(): Page {
  return PAGE;
}
