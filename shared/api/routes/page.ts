/** The secretaries' page, served at `/` to anyone (it holds no data; the token is typed in). */
import { defineRoute } from '../define-route.ts';
import { SECURITY_HEADERS } from '../http.ts';

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https: http://127.0.0.1:* http://localhost:*; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export const page = defineRoute({
  name: 'page',
  method: 'GET',
  path: '/',
  auth: 'public',
  summary: '村报填报页面（村、社区与镇共用）',
  ok: { status: 200, html: true, description: '填报页面' },
  handle: async ({ deps }) => ({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': CSP, ...SECURITY_HEADERS }, body: deps.page() }),
});
