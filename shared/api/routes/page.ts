/** The secretaries' page, served at `/` to anyone (it holds no data; the token is typed in). */
import { defineRoute } from '../define-route.ts';
import { SECURITY_HEADERS } from '../http.ts';

export const page = defineRoute({
  name: 'page',
  method: 'GET',
  path: '/',
  auth: 'public',
  summary: '村报填报页面（村、社区与镇共用）',
  ok: { status: 200, html: true, cacheControl: 'no-cache', description: '填报页面' },
  // The CSP carries the hashes of the page's one inline script and style (shared/web/build.ts).
  handle: async ({ deps }) => {
    const page = await deps.page();
    return {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': page.csp,
        ...SECURITY_HEADERS,
      },
      body: page.html,
    };
  },
});
