/**
 * The API as the page calls it: bearer token, JSON, and every refusal turned into an
 * ApiError with a Chinese message (the API's own, or the gateway's translated).
 */
import { session } from './session.ts';

const GATEWAY_MESSAGES: Readonly<Record<string, string>> = {
  Unauthorized: '缺少凭证：请先粘贴凭证。',
  Forbidden: '凭证无效或无权访问，请核对凭证。',
  'Not Found': '找不到所请求的内容。',
  'Too Many Requests': '请求太频繁，请稍等片刻再试。',
  'Request Entity Too Large': '请求内容太大。',
  'Internal Server Error': '服务器出错，请稍后再试；仍不行请联系镇管理员。',
  'Service Unavailable': '服务器暂时不可用，请稍后再试。',
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the page says for any failure. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return '无法连接服务器，请检查网络后重试。';
}

function errorOf(status: number, text: string): ApiError {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const code = field(body, 'code');
  const message = field(body, 'message');
  if (code !== undefined && message !== undefined) return new ApiError(status, code, message);
  if (message !== undefined) return new ApiError(status, `GATEWAY_${status}`, GATEWAY_MESSAGES[message] || `服务器答复：${message}`);
  return new ApiError(status, `HTTP_${status}`, `服务器答复错误（${status}），请稍后再试。`);
}

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value: unknown = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

let refused: (error: ApiError) => void = () => undefined;

/** What to do when the API refuses the token of a signed-in session (the login panel resets it). */
export function whenTokenRefused(handler: (error: ApiError) => void): void {
  refused = handler;
}

export function request(path: string, options: { readonly method?: string; readonly body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${session.token}` };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const init: RequestInit = { method: options.method || 'GET', headers, cache: 'no-store', credentials: 'omit' };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  return fetch(path, init).then(
    (response) => {
      if (response.ok) return response;
      return response.text().then((text) => {
        const error = errorOf(response.status, text);
        if (response.status === 401 && session.me) refused(error);
        throw error;
      });
    },
    () => {
      throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试。');
    },
  );
}

/** A GET answered with JSON of the API's type T (the answers in shared/api/answer-schemas.ts). */
export function getJson<T>(path: string): Promise<T> {
  return request(path).then((r) => r.json() as Promise<T>);
}

/** The file name a download offers (Content-Disposition), or `fallback`. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('Content-Disposition') || '';
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"/.exec(header);
  return plain?.[1] ? plain[1] : fallback;
}

/** Hands a downloaded body to the browser as a file named `name`. */
function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    if (a.parentNode) a.parentNode.removeChild(a);
  }, 2000);
}

/** A download from the API: saved under the server's file name; resolves to that name. */
export function download(path: string, fallback: string): Promise<string> {
  return request(path).then((response) => {
    const name = fileNameOf(response, fallback);
    return response.blob().then((blob) => {
      saveBlob(blob, name);
      return name;
    });
  });
}
