/**
 * Step 1, the app shell's door: the token (pasted, optionally remembered in
 * localStorage), who it speaks for (`GET /v1/me`), and which panels that role sees.
 */
import { ROLE_NAMES } from '../../shared/auth/roles.ts';
import { type ApiError, getJson, messageOf, whenTokenRefused } from '../app/api.ts';
import { loadCatalogue, loadUnits } from '../app/catalogue.ts';
import { $, input, setStatus, show } from '../app/dom.ts';
import { beijing } from '../app/format.ts';
import { can, registerControls, session, whileBusy } from '../app/session.ts';
import type { MeBody } from '../app/types.ts';
import { clearCompleteness, loadCompleteness } from './completeness.ts';
import { setupMonth } from './month.ts';
import { loadMyMonths, resetMyMonths } from './my-months.ts';
import { resetOrgs, setupOrgs } from './orgs.ts';
import { shortCode } from '../app/codes.ts';

const STORAGE_KEY = 'cunbao.token';
const TITLE = '村报 · 月度统计填报';

function storedToken(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) || '';
  } catch {
    return '';
  }
}

function storeToken(token: string): void {
  try {
    if (token) localStorage.setItem(STORAGE_KEY, token);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* private mode */
  }
}

/** Forgets who was signed in and hides every panel but this one. */
function resetSession(): void {
  session.generation++;
  session.me = null;
  session.catalogue = null;
  session.units = null;
  session.lastUploadId = null;
  show($('who'), false);
  ['month-section', 'upload-section', 'town-section', 'town-upload-options', 'result', 'recheck', 'upload-progress'].forEach((id) => {
    show($(id), false);
  });
  ['upload-status', 'template-status', 'completeness-status', 'summary-status'].forEach((id) => {
    setStatus(id, '');
  });
  $('title').textContent = TITLE;
  resetOrgs();
  resetMyMonths();
  clearCompleteness();
}

function tokenRefused(error: ApiError): void {
  resetSession();
  setStatus('login-status', error.message, 'error');
  input('token').focus();
}

function login(): Promise<void> {
  const field = input('token');
  const token = field.value.replace(/\s+/g, '');
  field.value = token;
  if (!token) {
    resetSession();
    setStatus('login-status', '请先粘贴凭证。', 'error');
    return Promise.resolve();
  }
  resetSession();
  session.token = token;
  setStatus('login-status', '正在核对凭证…', 'busy');
  return whileBusy(
    getJson<MeBody>('v1/me').then(
      (me) => {
        session.me = me;
        storeToken(input('remember').checked ? token : '');
        setStatus('login-status', '凭证有效。', 'ok');
        showWho(me);
        setupMonth(me);
        setupOrgs(me);
        show($('upload-section'), can(me.role, 'upload'));
        show($('town-upload-options'), can(me.role, 'upload') && me.role !== 'village');
        show($('town-section'), can(me.role, 'town'));
        const loads: Promise<unknown>[] = [loadCatalogue()];
        if (me.role !== 'village') loads.push(loadUnits());
        else loads.push(loadMyMonths());
        if (can(me.role, 'town')) loads.push(loadCompleteness());
        return Promise.all(loads.map((p) => p.catch(() => null))).then(() => undefined);
      },
      (error: unknown) => {
        session.token = '';
        setStatus('login-status', messageOf(error), 'error');
      },
    ),
  );
}

/** Who the token speaks for: a village by name and short code (its town is in the title), else its node. */
function showWho(me: MeBody): void {
  const who = me.role === 'village' ? (me.unitName || me.unit || '') + (me.unit ? `（${shortCode(me.unit)}）` : '') : me.org.name;
  $('who-unit').textContent = who;
  $('who-role').textContent = me.roleName || ROLE_NAMES[me.role] || me.role;
  $('who-expires').textContent = me.expiresAt ? `${beijing(me.expiresAt)}（北京时间）` : '长期有效';
  show($('who'), true);
  $('title').textContent = `${me.town} ${TITLE}`;
}

function logout(): void {
  storeToken('');
  input('token').value = '';
  input('remember').checked = false;
  session.token = '';
  resetSession();
  setStatus('login-status', '已退出，本机保存的凭证已清除。', 'ok');
}

function toggleToken(): void {
  const field = input('token');
  const button = $('toggle-token');
  const visible = field.type === 'password';
  field.type = visible ? 'text' : 'password';
  button.textContent = visible ? '隐藏' : '显示';
  button.setAttribute('aria-pressed', visible ? 'true' : 'false');
}

export function initLogin(): void {
  registerControls(['login']);
  whenTokenRefused(tokenRefused);
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    login();
  });
  $('toggle-token').addEventListener('click', toggleToken);
  input('remember').addEventListener('change', () => {
    if (!input('remember').checked) storeToken('');
    else if (session.me && session.token) storeToken(session.token);
  });
  $('logout').addEventListener('click', logout);
}

/** Signs in with the remembered token, if there is one. */
export function resumeSession(): void {
  const saved = storedToken();
  if (!saved) return;
  input('token').value = saved;
  input('remember').checked = true;
  login();
}
