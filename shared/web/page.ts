/**
 * The secretaries' page, served at `GET /` by the API: one self-contained HTML document
 * (inline CSS and JS, no framework, nothing fetched from elsewhere) under the API's CSP
 * (`default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; …;
 * connect-src 'self' https: http://127.0.0.1:* http://localhost:*; form-action 'none'`).
 *
 * One page for every role, in Chinese, for a phone as for an office PC:
 * - everyone pastes a token (optionally remembered in localStorage) and sees who it speaks for
 *   (`GET /v1/me`), then picks a month (default: the previous month) and sees its deadline;
 * - a village (and the town, and an admin) downloads the month's template, chooses a .csv
 *   or .json file, sends it by the presigned POST the API hands out (`POST /v1/uploads`,
 *   then the form to S3 with a progress bar), and waits for the check (`GET
 *   /v1/uploads/{id}`): accepted → the figures as stored (`GET /v1/units/{unit}/
 *   submissions/{month}`, labelled from `GET /v1/catalogue`) and any warnings; rejected →
 *   a table of problems (row, column, value, message);
 * - the town, the district and an admin see the month's completeness (`GET
 *   /v1/completeness/{month}`) and the published summary (JSON totals, CSV download); the
 *   district does not upload.
 *
 * Everything the API says is inserted with `textContent`, never as HTML. The script uses
 * no template literals (this file is one) and nothing newer than what a Chromium 70
 * office browser runs (no `?.`, no `??`).
 *
 * Stable hooks for tests: `#result[data-status]`, `#figures tr[data-key] td.value`,
 * `#problems tbody tr` with `td.row`, `td.column`, `td.value`, `td.message`,
 * `#completeness[data-period] tbody tr[data-unit] td.status`, `#summary-totals tr[data-key] td.value`.
 */

const STYLE = String.raw`
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",system-ui,sans-serif;font-size:17px;line-height:1.6;color:#1f2328;background:#f3f5f7;overflow-wrap:anywhere}
header{background:#9b1c1c;color:#fff;padding:14px 16px}
header h1{margin:0;font-size:22px;line-height:1.3}
header p{margin:2px 0 0;font-size:16px;opacity:.9}
main{max-width:980px;margin:0 auto;padding:12px}
section{background:#fff;border:1px solid #d8dee4;border-radius:10px;padding:14px 16px;margin:0 0 14px}
h2{font-size:19px;margin:0 0 10px;color:#9b1c1c}
h3{font-size:18px;margin:16px 0 8px}
p{margin:6px 0}
label{display:block;font-weight:600;margin:12px 0 4px}
label.check{display:flex;align-items:center;gap:10px;font-weight:400;min-height:48px;margin:6px 0;cursor:pointer}
label.check input{width:24px;height:24px;margin:0;flex:none}
input,select,button{font:inherit;font-size:17px}
input[type=password],input[type=text],input[type=month],select{width:100%;min-height:48px;padding:8px 12px;border:1px solid #8c959f;border-radius:8px;background:#fff;color:inherit}
input[type=file]{width:100%;min-height:48px;padding:10px;border:2px dashed #8c959f;border-radius:8px;background:#fafbfc}
input:focus,select:focus,button:focus{outline:3px solid #f0a020;outline-offset:1px}
.inline{display:flex;gap:8px;align-items:stretch}
.inline input{flex:1;min-width:0}
.buttons{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0 4px}
button{min-height:48px;padding:8px 18px;border-radius:8px;border:1px solid #7a1515;background:#9b1c1c;color:#fff;cursor:pointer;font-weight:600}
button.secondary{background:#fff;color:#9b1c1c;border-color:#9b1c1c}
button:disabled{opacity:.5;cursor:not-allowed}
.inline button{flex:none;min-width:72px}
.hint{color:#57606a;font-size:16px}
.status{min-height:1.6em;margin:8px 0;font-weight:600}
.status.error{color:#b42318}
.status.ok{color:#1a7f37}
.status.busy{color:#0b5cad}
dl#who{display:grid;grid-template-columns:auto 1fr;gap:4px 14px;margin:10px 0 0;padding:10px 12px;background:#f6f8fa;border-radius:8px}
dl#who dt{color:#57606a}
dl#who dd{margin:0;font-weight:600}
progress{width:100%;height:22px;margin:8px 0 0}
#result{margin-top:12px;padding:12px;border-radius:8px;border:2px solid #d8dee4}
#result[data-status=accepted]{border-color:#1a7f37;background:#f0fff4}
#result[data-status=rejected]{border-color:#b42318;background:#fff5f5}
#result-title{margin:0 0 6px;font-size:20px}
#result[data-status=accepted] #result-title{color:#1a7f37}
#result[data-status=rejected] #result-title{color:#b42318}
table{width:100%;border-collapse:collapse;margin:8px 0;background:#fff;font-size:16px}
caption{text-align:left;font-weight:600;padding:6px 0}
th,td{border:1px solid #d8dee4;padding:8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;white-space:nowrap}
td.value,td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
#problems tr.error td.kind{color:#b42318;font-weight:600}
#problems tr.warning td.kind{color:#9a6700;font-weight:600}
#completeness td.status[data-status=on_time]{color:#1a7f37;font-weight:600}
#completeness td.status[data-status=late]{color:#9a6700;font-weight:600}
#completeness td.status[data-status=missing]{color:#b42318;font-weight:600}
[hidden]{display:none!important}
@media (max-width:640px){
  main{padding:8px}
  section{padding:12px}
  .buttons button{flex:1 1 100%}
  table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
  table.cards thead{position:absolute;left:-9999px;top:auto;width:1px;height:1px;overflow:hidden}
  table.cards tr{border:1px solid #d8dee4;border-radius:8px;margin:0 0 10px;padding:6px 10px}
  table.cards td{border:0;padding:3px 0;text-align:left;white-space:normal}
  table.cards td::before{content:attr(data-label) "：";color:#57606a;font-weight:400}
}
`;

const BODY = String.raw`
<header>
  <h1 id="title">村报 · 月度统计填报</h1>
  <p id="subtitle">村（社区）每月报送统计表；镇、区查看报送情况和汇总</p>
</header>
<main>
  <section id="login-section" aria-labelledby="login-heading">
    <h2 id="login-heading">第一步：输入凭证</h2>
    <form id="login-form" novalidate>
      <label for="token">凭证（镇管理员发给您的一串字符，以 cb_ 开头）</label>
      <div class="inline">
        <input id="token" name="token" type="password" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="在此粘贴凭证">
        <button id="toggle-token" type="button" class="secondary" aria-pressed="false" aria-controls="token">显示</button>
      </div>
      <label class="check"><input id="remember" type="checkbox"> 记住凭证（只在自己的电脑或手机上勾选）</label>
      <div class="buttons">
        <button id="login" type="submit">确认凭证</button>
        <button id="logout" type="button" class="secondary">退出/清除凭证</button>
      </div>
    </form>
    <div id="login-status" class="status" role="status" aria-live="polite"></div>
    <dl id="who" hidden>
      <dt>单位</dt><dd id="who-unit"></dd>
      <dt>角色</dt><dd id="who-role"></dd>
      <dt>有效期至</dt><dd id="who-expires"></dd>
    </dl>
  </section>

  <section id="month-section" aria-labelledby="month-heading" hidden>
    <h2 id="month-heading">第二步：选择月份</h2>
    <label for="period">报表月份</label>
    <input id="period" type="month" placeholder="如 2025-03" pattern="[0-9]{4}-[0-9]{2}">
    <p id="deadline" class="hint" aria-live="polite"></p>
  </section>

  <section id="upload-section" aria-labelledby="upload-heading" hidden>
    <h2 id="upload-heading">第三步：填表并上传</h2>
    <p class="hint">先下载本月模板，用 Excel 或 WPS 填好“数值”一列，另存为 CSV（逗号分隔）文件，再在下面选择文件上传。没有发生的填 0，未统计的留空。</p>
    <div id="town-upload-options" hidden>
      <label for="upload-unit">单位</label>
      <select id="upload-unit"><option value="">全部单位（一个文件含多个单位）</option></select>
      <label for="template-layout">模板样式</label>
      <select id="template-layout">
        <option value="long">竖表：一行一个指标</option>
        <option value="wide">横表：一行一个单位</option>
      </select>
      <label class="check"><input id="multi-month" type="checkbox"> 文件含多个月份（不限定上面所选的月份）</label>
    </div>
    <div class="buttons">
      <button id="download-template" type="button" class="secondary">下载本月填报模板</button>
    </div>
    <div id="template-status" class="status" role="status" aria-live="polite"></div>
    <label for="file">选择填好的文件（.csv 或 .json）</label>
    <input id="file" type="file" accept=".csv,.json,text/csv,application/json">
    <p id="file-info" class="hint" aria-live="polite"></p>
    <div class="buttons">
      <button id="upload" type="button" disabled>上传</button>
      <button id="recheck" type="button" class="secondary" hidden>再次查看检查结果</button>
    </div>
    <progress id="upload-progress" max="100" value="0" hidden aria-label="上传进度"></progress>
    <div id="upload-status" class="status" role="status" aria-live="polite"></div>
    <div id="result" hidden aria-live="polite">
      <h3 id="result-title"></h3>
      <p id="result-note"></p>
      <div id="figures"></div>
      <div id="problems-block" hidden>
        <h3 id="problems-title">问题</h3>
        <table id="problems" class="cards">
          <thead><tr><th scope="col">类别</th><th scope="col">行</th><th scope="col">列</th><th scope="col">内容</th><th scope="col">说明</th></tr></thead>
          <tbody></tbody>
        </table>
      </div>
    </div>
  </section>

  <section id="town-section" aria-labelledby="town-heading" hidden>
    <h2 id="town-heading">全镇报送情况</h2>
    <div class="buttons">
      <button id="refresh-completeness" type="button" class="secondary">刷新</button>
    </div>
    <div id="completeness-status" class="status" role="status" aria-live="polite"></div>
    <p id="completeness-summary"></p>
    <table id="completeness" class="cards">
      <thead><tr><th scope="col">代码</th><th scope="col">单位</th><th scope="col">状态</th><th scope="col">首次报送</th><th scope="col">最近报送</th><th scope="col">提醒</th></tr></thead>
      <tbody></tbody>
    </table>
    <h3>月度汇总</h3>
    <div id="summary-status" class="status" role="status" aria-live="polite"></div>
    <div class="buttons">
      <button id="show-summary" type="button">查看月度汇总</button>
      <button id="download-summary" type="button" class="secondary">下载 CSV</button>
    </div>
    <div id="summary" hidden>
      <p id="summary-meta"></p>
      <table id="summary-derived" class="cards"><tbody></tbody></table>
      <table id="summary-totals" class="cards">
        <caption>全镇合计（不为 0 的指标）</caption>
        <thead><tr><th scope="col">指标</th><th scope="col">合计</th><th scope="col">计量单位</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </section>
</main>
`;

const SCRIPT = String.raw`
(function () {
  'use strict';
  var STORAGE_KEY = 'cunbao.token';
  var ROLE_LABELS = { village: '村（社区）', town: '镇', district: '区', admin: '管理员' };
  var STATUS_LABELS = { on_time: '按时', late: '迟报', missing: '未报' };
  var GATEWAY_MESSAGES = {
    'Unauthorized': '缺少凭证：请先粘贴凭证。',
    'Forbidden': '凭证无效或无权访问，请核对凭证。',
    'Not Found': '找不到所请求的内容。',
    'Too Many Requests': '请求太频繁，请稍等片刻再试。',
    'Request Entity Too Large': '请求内容太大。',
    'Internal Server Error': '服务器出错，请稍后再试；仍不行请联系镇管理员。',
    'Service Unavailable': '服务器暂时不可用，请稍后再试。'
  };
  var S3_MESSAGES = {
    EntityTooLarge: '文件太大，超过了允许的上限。请删去多余内容（如图片、其他工作表）后重新保存为 CSV。',
    EntityTooSmall: '文件是空的，请确认已保存好再上传。',
    AccessDenied: '存储服务器拒绝了这次上传（上传许可不符或已过期），请重新点“上传”。',
    SignatureDoesNotMatch: '上传许可无效，请刷新页面后重新上传。',
    InvalidAccessKeyId: '上传许可无效，请刷新页面后重新上传。',
    InvalidToken: '上传许可无效，请刷新页面后重新上传。',
    InvalidPolicyDocument: '上传许可无效，请刷新页面后重新上传。',
    InvalidArgument: '上传请求不完整，请刷新页面后重新上传。',
    MalformedPOSTRequest: '上传请求格式有误，请刷新页面后重新上传。',
    MaxPostPreDataLengthExceededError: '上传请求格式有误，请刷新页面后重新上传。',
    KeyTooLongError: '上传请求有误，请刷新页面后重新上传。',
    NotImplemented: '存储服务器不支持这种上传方式，请联系镇管理员。',
    RequestTimeout: '上传超时，请检查网络后重新上传。',
    SlowDown: '存储服务器繁忙，请稍后重新上传。',
    ServiceUnavailable: '存储服务器暂时不可用，请稍后重新上传。',
    InternalError: '存储服务器出错，请稍后重新上传。',
    BadGateway: '存储服务器暂时不可用，请稍后重新上传。'
  };
  var WORKBOOK_EXTENSIONS = ['xlsx', 'xls', 'xlsm', 'et', 'ett', 'wps', 'ods', 'numbers'];
  var POLL_INTERVAL_MS = 1000;
  var POLL_LIMIT_MS = 120000;

  var state = { token: '', me: null, catalogue: null, units: null, busy: 0, generation: 0, lastUploadId: null, lastPeriod: null };

  function $(id) { return document.getElementById(id); }

  /** An element with text only (never HTML): attrs are attributes, text is textContent. */
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (name) { if (attrs[name] !== undefined && attrs[name] !== null) node.setAttribute(name, String(attrs[name])); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function cell(cls, label, text) { return el('td', { 'class': cls, 'data-label': label }, text); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function show(node, visible) { node.hidden = !visible; }

  function setStatus(id, text, kind) {
    var node = $(id);
    node.textContent = text || '';
    node.className = 'status' + (kind ? ' ' + kind : '');
  }

  // ---- time and months (Beijing time, computed without relying on the browser's zone) ----
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function beijing(iso) {
    var ms = Date.parse(iso);
    if (isNaN(ms)) return iso || '';
    var d = new Date(ms + 8 * 3600 * 1000);
    return d.getUTCFullYear() + '年' + (d.getUTCMonth() + 1) + '月' + d.getUTCDate() + '日 ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  }
  function normaliseMonth(text) {
    var m = /^\s*([0-9]{4})\s*[-\/年.]\s*([0-9]{1,2})\s*月?\s*$/.exec(text || '');
    if (!m) return null;
    var mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    return m[1] + '-' + pad(mo);
  }
  function addMonths(month, n) {
    var y = Number(month.slice(0, 4)), mo = Number(month.slice(5, 7)) - 1 + n;
    y += Math.floor(mo / 12); mo = ((mo % 12) + 12) % 12;
    return y + '-' + pad(mo + 1);
  }
  function chineseMonth(month) { return month.slice(0, 4) + '年' + Number(month.slice(5, 7)) + '月'; }
  function deadlineText(month, day) {
    var next = addMonths(month, 1);
    return next.slice(0, 4) + '年' + Number(next.slice(5, 7)) + '月' + day + '日';
  }
  function formatNumber(v) {
    if (typeof v !== 'number' || !isFinite(v)) return String(v);
    var parts = String(v).split('.');
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return parts.join('.');
  }
  function formatBytes(n) {
    if (n >= 1024 * 1024) return (Math.round(n / 1024 / 1024 * 10) / 10) + ' MB';
    if (n >= 1024) return (Math.round(n / 1024 * 10) / 10) + ' KB';
    return n + ' 字节';
  }

  // ---- the API ----
  function ApiError(status, code, message) { this.status = status; this.code = code; this.message = message; }

  function errorOf(status, text) {
    var body = null;
    try { body = JSON.parse(text); } catch (e) { body = null; }
    if (body && typeof body.code === 'string' && typeof body.message === 'string') return new ApiError(status, body.code, body.message);
    if (body && typeof body.message === 'string') return new ApiError(status, 'GATEWAY_' + status, GATEWAY_MESSAGES[body.message] || ('服务器答复：' + body.message));
    return new ApiError(status, 'HTTP_' + status, '服务器答复错误（' + status + '），请稍后再试。');
  }

  function messageOf(error) {
    if (error instanceof ApiError) return error.message;
    return '无法连接服务器，请检查网络后重试。';
  }

  function request(path, options) {
    options = options || {};
    var headers = { 'Authorization': 'Bearer ' + state.token };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(path, { method: options.method || 'GET', headers: headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), cache: 'no-store', credentials: 'omit' })
      .then(function (response) {
        if (response.ok) return response;
        return response.text().then(function (text) {
          var error = errorOf(response.status, text);
          if (response.status === 401 && state.me) tokenRefused(error);
          throw error;
        });
      }, function () { throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试。'); });
  }
  function getJson(path) { return request(path).then(function (r) { return r.json(); }); }

  function fileNameOf(response, fallback) {
    var header = response.headers.get('Content-Disposition') || '';
    var star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
    if (star) { try { return decodeURIComponent(star[1].trim()); } catch (e) { /* fall through */ } }
    var plain = /filename\s*=\s*"([^"]+)"/.exec(header);
    return plain ? plain[1] : fallback;
  }

  function saveBlob(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el('a', { href: url, download: name });
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); if (a.parentNode) a.parentNode.removeChild(a); }, 2000);
  }

  function busy(on) {
    state.busy += on ? 1 : -1;
    var disabled = state.busy > 0;
    ['login', 'download-template', 'upload', 'recheck', 'refresh-completeness', 'show-summary', 'download-summary', 'period', 'file', 'upload-unit', 'template-layout', 'multi-month'].forEach(function (id) {
      var node = $(id);
      if (node) node.disabled = disabled || (id === 'upload' && !uploadReady());
    });
    document.body.setAttribute('aria-busy', disabled ? 'true' : 'false');
  }
  function whileBusy(promise) {
    busy(true);
    return promise.then(function (v) { busy(false); return v; }, function (e) { busy(false); throw e; });
  }

  function can(role, what) {
    if (what === 'upload') return role === 'village' || role === 'town' || role === 'admin';
    if (what === 'town') return role === 'town' || role === 'district' || role === 'admin';
    return false;
  }

  // ---- step 1: the token ----
  function storedToken() { try { return localStorage.getItem(STORAGE_KEY) || ''; } catch (e) { return ''; } }
  function storeToken(token) { try { if (token) localStorage.setItem(STORAGE_KEY, token); else localStorage.removeItem(STORAGE_KEY); } catch (e) { /* private mode */ } }

  function resetSession() {
    state.generation++;
    state.me = null; state.catalogue = null; state.units = null; state.lastUploadId = null;
    show($('who'), false);
    ['month-section', 'upload-section', 'town-section', 'town-upload-options', 'result', 'recheck', 'upload-progress'].forEach(function (id) { show($(id), false); });
    ['upload-status', 'template-status', 'completeness-status', 'summary-status'].forEach(function (id) { setStatus(id, ''); });
    $('title').textContent = '村报 · 月度统计填报';
    clearCompleteness();
  }

  function tokenRefused(error) {
    resetSession();
    setStatus('login-status', error.message, 'error');
    $('token').focus();
  }

  function login() {
    var token = $('token').value.replace(/\s+/g, '');
    $('token').value = token;
    if (!token) { resetSession(); setStatus('login-status', '请先粘贴凭证。', 'error'); return Promise.resolve(); }
    resetSession();
    state.token = token;
    setStatus('login-status', '正在核对凭证…', 'busy');
    return whileBusy(getJson('v1/me').then(function (me) {
      state.me = me;
      storeToken($('remember').checked ? token : '');
      setStatus('login-status', '凭证有效。', 'ok');
      showWho(me);
      setupMonth(me);
      show($('upload-section'), can(me.role, 'upload'));
      show($('town-upload-options'), can(me.role, 'upload') && me.role !== 'village');
      show($('town-section'), can(me.role, 'town'));
      var loads = [loadCatalogue()];
      if (me.role !== 'village') loads.push(loadUnits());
      if (can(me.role, 'town')) loads.push(loadCompleteness());
      return Promise.all(loads.map(function (p) { return p.catch(function () { return null; }); }));
    }, function (error) {
      state.token = '';
      setStatus('login-status', messageOf(error), 'error');
    }));
  }

  function showWho(me) {
    var who = me.role === 'village' ? (me.unitName || me.unit) + (me.unit ? '（' + me.unit + '）' : '') : me.town + (me.role === 'district' ? ' 的上级（区）' : '');
    $('who-unit').textContent = who;
    $('who-role').textContent = me.roleName || ROLE_LABELS[me.role] || me.role;
    $('who-expires').textContent = me.expiresAt ? beijing(me.expiresAt) + '（北京时间）' : '长期有效';
    show($('who'), true);
    $('title').textContent = me.town + ' 村报 · 月度统计填报';
  }

  function logout() {
    storeToken('');
    $('token').value = '';
    $('remember').checked = false;
    state.token = '';
    resetSession();
    setStatus('login-status', '已退出，本机保存的凭证已清除。', 'ok');
  }

  // ---- step 2: the month ----
  function currentPeriod() { return normaliseMonth($('period').value); }

  function setupMonth(me) {
    var input = $('period');
    var current = addMonths(me.defaultPeriod, 1);
    input.max = current;
    if (!normaliseMonth(input.value) || normaliseMonth(input.value) > current) input.value = me.defaultPeriod;
    show($('month-section'), true);
    describeMonth();
  }

  function describeMonth() {
    var me = state.me;
    var node = $('deadline');
    if (!me) return;
    var period = currentPeriod();
    if (!period) { node.textContent = '请按“年-月”填写月份，如 ' + me.defaultPeriod + '。'; return; }
    var current = addMonths(me.defaultPeriod, 1);
    var text = chineseMonth(period) + '的报表应在次月 ' + me.deadlineDay + ' 日前报送，即 ' + deadlineText(period, me.deadlineDay) + '（含当天）。';
    if (period > current) text = chineseMonth(period) + '还没有到，不能报送。';
    else if (period < me.defaultPeriod) text += '已过截止日期：仍可报送或更正，但记为迟报。';
    else if (period === current) text += '本月尚未结束，一般应在下月初报送。';
    node.textContent = text;
  }

  function monthChanged() {
    describeMonth();
    state.generation++;
    show($('result'), false);
    show($('recheck'), false);
    setStatus('upload-status', '');
    if (state.me && can(state.me.role, 'town')) {
      clearCompleteness();
      loadCompleteness().catch(function () { return null; });
    }
  }

  function clearCompleteness() {
    $('completeness').removeAttribute('data-period');
    clear($('completeness').getElementsByTagName('tbody')[0]);
    $('completeness-summary').textContent = '';
    show($('summary'), false);
    setStatus('summary-status', '');
  }

  // ---- catalogue and units ----
  function loadCatalogue() {
    if (state.catalogue) return Promise.resolve(state.catalogue);
    return getJson('v1/catalogue').then(function (c) {
      var keys = {}, order = {};
      (c.keys || []).forEach(function (k, i) { keys[k.key] = k; order[k.key] = i; });
      state.catalogue = { keys: keys, order: order };
      return state.catalogue;
    });
  }

  function loadUnits() {
    return getJson('v1/units').then(function (u) {
      state.units = u.units || [];
      var select = $('upload-unit');
      while (select.options.length > 1) select.remove(1);
      state.units.forEach(function (unit) { select.appendChild(el('option', { value: unit.code }, unit.name + '（' + unit.code + '）')); });
      return state.units;
    });
  }

  function unitName(code) {
    if (state.me && state.me.unit === code && state.me.unitName) return state.me.unitName;
    var list = state.units || [];
    for (var i = 0; i < list.length; i++) if (list[i].code === code) return list[i].name;
    return code;
  }

  // ---- step 3: template, file, upload ----
  function downloadTemplate() {
    var period = currentPeriod();
    if (!period) { setStatus('template-status', '请先选择月份。', 'error'); return Promise.resolve(); }
    var query = '?layout=' + (state.me.role === 'village' ? 'long' : encodeURIComponent($('template-layout').value));
    var unit = state.me.role === 'village' ? '' : $('upload-unit').value;
    if (unit) query += '&unit=' + encodeURIComponent(unit);
    setStatus('template-status', '正在下载模板…', 'busy');
    return whileBusy(request('v1/templates/' + encodeURIComponent(period) + query).then(function (response) {
      var name = fileNameOf(response, '填报模板-' + period + '.csv');
      return response.blob().then(function (blob) {
        saveBlob(blob, name);
        setStatus('template-status', '已下载：' + name + '。用 Excel 或 WPS 打开，填好后另存为 CSV。', 'ok');
      });
    }).catch(function (error) { setStatus('template-status', messageOf(error), 'error'); }));
  }

  function uploadReady() {
    var file = selectedFile();
    return !!file && !checkChosenFile(file).error;
  }

  function selectedFile() {
    var input = $('file');
    return input.files && input.files.length ? input.files[0] : null;
  }

  /** The file's format, or the reason it cannot be sent (in Chinese). */
  function checkChosenFile(file) {
    var match = /\.([A-Za-z0-9]+)$/.exec(file.name);
    var ext = match ? match[1].toLowerCase() : '';
    if (WORKBOOK_EXTENSIONS.indexOf(ext) >= 0) return { error: '“' + file.name + '”是 Excel/WPS 工作簿，不能直接上传。请在 Excel 或 WPS 中点“文件 → 另存为”，保存类型选“CSV（逗号分隔）(*.csv)”，再上传保存好的 .csv 文件。' };
    if (ext !== 'csv' && ext !== 'json') return { error: '只能上传 .csv 或 .json 文件（“' + file.name + '”不是）。如果是 Excel 表格，请先“另存为”CSV（逗号分隔）。' };
    if (file.size === 0) return { error: '文件“' + file.name + '”是空的，请确认已填好并保存。' };
    var max = state.me ? state.me.maxFileBytes : 5 * 1024 * 1024;
    if (file.size > max) return { error: '文件太大：' + formatBytes(file.size) + '，最多 ' + formatBytes(max) + '。请删去多余的内容后重新保存。' };
    return { format: ext };
  }

  function fileChanged() {
    var file = selectedFile();
    show($('result'), false);
    setStatus('upload-status', '');
    if (!file) { $('file-info').textContent = ''; $('upload').disabled = true; return; }
    var checked = checkChosenFile(file);
    if (checked.error) {
      $('file-info').textContent = '';
      setStatus('upload-status', checked.error, 'error');
      $('upload').disabled = true;
      return;
    }
    $('file-info').textContent = '已选择：' + file.name + '（' + formatBytes(file.size) + '，' + (checked.format === 'csv' ? 'CSV 表格' : 'JSON') + '）';
    $('upload').disabled = state.busy > 0;
  }

  function s3ErrorOf(xhr) {
    var code = '', message = '';
    try {
      var doc = new DOMParser().parseFromString(xhr.responseText || '', 'application/xml');
      var c = doc.getElementsByTagName('Code')[0], m = doc.getElementsByTagName('Message')[0];
      code = c ? c.textContent : ''; message = m ? m.textContent : '';
    } catch (e) { /* not XML */ }
    var text = S3_MESSAGES[code];
    if (code === 'AccessDenied' && /expired/i.test(message)) text = '上传许可已过期（申请后需在限定时间内上传），请重新点“上传”。';
    if (!text) text = '存储服务器拒绝了上传（' + (xhr.status || '无答复') + '）。请稍后重试；仍不行请联系镇管理员。';
    return text + (code ? '（' + code + (message ? '：' + message : '') + '）' : '');
  }

  function sendForm(created, file) {
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      Object.keys(created.fields).forEach(function (name) { data.append(name, created.fields[name]); });
      data.append('file', file, file.name);
      var xhr = new XMLHttpRequest();
      var bar = $('upload-progress');
      bar.value = 0; show(bar, true);
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable && event.total > 0) {
          var pct = Math.round(event.loaded / event.total * 100);
          bar.value = pct;
          setStatus('upload-status', '正在上传… ' + pct + '%', 'busy');
        }
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) { bar.value = 100; resolve(); }
        else reject(new ApiError(xhr.status, 'S3', s3ErrorOf(xhr)));
      };
      xhr.onerror = function () { reject(new ApiError(0, 'S3_NETWORK', '文件没能传到存储服务器（网络中断或被拦截），请检查网络后重新上传。')); };
      xhr.ontimeout = function () { reject(new ApiError(0, 'S3_TIMEOUT', '上传超时，请检查网络后重新上传。')); };
      xhr.open('POST', created.url);
      xhr.timeout = 10 * 60 * 1000;
      xhr.send(data);
    });
  }

  function upload() {
    var file = selectedFile();
    if (!file) { setStatus('upload-status', '请先选择文件。', 'error'); return Promise.resolve(); }
    var checked = checkChosenFile(file);
    if (checked.error) { setStatus('upload-status', checked.error, 'error'); return Promise.resolve(); }
    var period = currentPeriod();
    var multiMonth = state.me.role !== 'village' && $('multi-month').checked;
    if (!period && !multiMonth) { setStatus('upload-status', '请先选择月份。', 'error'); return Promise.resolve(); }
    var body = { format: checked.format, size: file.size };
    if (!multiMonth) body.period = period;
    if (state.me.role !== 'village' && $('upload-unit').value) body.unit = $('upload-unit').value;
    var generation = ++state.generation;
    show($('result'), false);
    show($('recheck'), false);
    setStatus('upload-status', '正在申请上传…', 'busy');
    return whileBusy(request('v1/uploads', { method: 'POST', body: body })
      .then(function (response) { return response.json(); })
      .then(function (created) {
        state.lastUploadId = created.uploadId;
        state.lastPeriod = period;
        setStatus('upload-status', '正在上传… 0%', 'busy');
        return sendForm(created, file).then(function () { return created; });
      })
      .then(function (created) {
        setStatus('upload-status', '上传完成，正在检查…', 'busy');
        return poll(created.uploadId, generation);
      })
      .catch(function (error) {
        show($('upload-progress'), false);
        setStatus('upload-status', messageOf(error), 'error');
      }));
  }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function poll(uploadId, generation) {
    var started = Date.now();
    function once() {
      if (generation !== state.generation) return null;
      return getJson('v1/uploads/' + encodeURIComponent(uploadId)).then(function (status) {
        if (generation !== state.generation) return null;
        if (status.status === 'accepted' || status.status === 'rejected') return showOutcome(status, generation);
        var waited = Math.round((Date.now() - started) / 1000);
        if (Date.now() - started > POLL_LIMIT_MS) {
          setStatus('upload-status', '文件已上传，但检查还没有完成（已等待 ' + waited + ' 秒）。请稍后点“再次查看检查结果”。', 'error');
          show($('recheck'), true);
          return null;
        }
        setStatus('upload-status', '正在检查…（已等待 ' + waited + ' 秒）', 'busy');
        return sleep(POLL_INTERVAL_MS).then(once);
      });
    }
    return once();
  }

  function recheck() {
    if (!state.lastUploadId) return Promise.resolve();
    var generation = ++state.generation;
    show($('recheck'), false);
    setStatus('upload-status', '正在检查…', 'busy');
    return whileBusy(poll(state.lastUploadId, generation).catch(function (error) { setStatus('upload-status', messageOf(error), 'error'); show($('recheck'), true); }));
  }

  // ---- the outcome ----
  function showOutcome(status, generation) {
    show($('upload-progress'), false);
    var result = $('result');
    result.setAttribute('data-status', status.status);
    result.setAttribute('data-upload-id', status.uploadId);
    clear($('figures'));
    $('result-note').textContent = '';
    var accepted = status.status === 'accepted';
    var late = status.warnings.some(function (w) { return w.code === 'LATE'; });
    $('result-title').textContent = accepted ? (late ? '已接收（迟报）' : '已接收') : '未通过检查，文件没有被接收';
    setStatus('upload-status', accepted ? '已接收：文件已通过检查，数据已入库。' : '文件有问题，没有被接收。请按下表逐条修改后重新上传。', accepted ? 'ok' : 'error');
    renderProblems(status.errors, status.warnings);
    show(result, true);
    if (!accepted) { result.scrollIntoView({ block: 'start' }); return null; }
    var subs = status.submissions || [];
    var notes = [];
    var chosen = state.lastPeriod;
    var others = subs.filter(function (s) { return chosen && s.period !== chosen; });
    if (others.length && subs.length === others.length) notes.push('注意：文件中的月份是 ' + others.map(function (s) { return s.period; }).filter(function (p, i, a) { return a.indexOf(p) === i; }).join('、') + '，与所选月份 ' + chosen + ' 不同，数据按文件中的月份入库。');
    if (subs.some(function (s) { return s.state === 'superseded'; })) notes.push('其中标为“已被替换”的月份已有更晚的报送，以更晚的为准。');
    $('result-note').textContent = notes.join(' ');
    var shown = subs.slice(0, 20);
    if (subs.length > shown.length) $('result-note').textContent += ' 本文件共含 ' + subs.length + ' 份报表，下面列出前 ' + shown.length + ' 份。';
    return loadCatalogue().catch(function () { return null; }).then(function () {
      return Promise.all(shown.map(function (s) {
        return getJson('v1/units/' + encodeURIComponent(s.unit) + '/submissions/' + encodeURIComponent(s.period)).then(function (body) { return { sub: s, body: body }; }, function (error) { return { sub: s, error: error }; });
      }));
    }).then(function (loaded) {
      if (generation !== state.generation) return null;
      loaded.forEach(function (item) { $('figures').appendChild(figuresTable(item)); });
      if (state.me && can(state.me.role, 'town')) loadCompleteness().catch(function () { return null; });
      result.scrollIntoView({ block: 'start' });
      return null;
    });
  }

  function figuresTable(item) {
    var s = item.sub;
    var table = el('table', { 'class': 'figures cards', 'data-unit': s.unit, 'data-period': s.period });
    var caption = (item.body ? item.body.unitName : unitName(s.unit)) + ' · ' + chineseMonth(s.period) + (s.state === 'superseded' ? '（已被替换）' : '') + ' 入库数据';
    table.appendChild(el('caption', null, caption));
    var head = el('thead'); var hr = el('tr');
    ['指标', '数值', '计量单位'].forEach(function (h) { hr.appendChild(el('th', { scope: 'col' }, h)); });
    head.appendChild(hr); table.appendChild(head);
    var tbody = el('tbody'); table.appendChild(tbody);
    if (item.error || !item.body || !item.body.current) {
      var tr = el('tr'); tr.appendChild(cell('message', '说明', item.error ? messageOf(item.error) : '查不到该月的现行数据。'));
      tr.firstChild.setAttribute('colspan', '3');
      tbody.appendChild(tr);
      return table;
    }
    var values = item.body.current.values || {};
    var catalogue = state.catalogue;
    var keys = Object.keys(values).sort(function (a, b) {
      var za = values[a] === 0 ? 1 : 0, zb = values[b] === 0 ? 1 : 0;
      if (za !== zb) return za - zb;
      var oa = catalogue && a in catalogue.order ? catalogue.order[a] : 1e9, ob = catalogue && b in catalogue.order ? catalogue.order[b] : 1e9;
      return oa - ob || (a < b ? -1 : a > b ? 1 : 0);
    });
    keys.forEach(function (key) {
      var info = catalogue ? catalogue.keys[key] : null;
      var row = el('tr', { 'data-key': key, 'class': values[key] === 0 ? 'zero' : 'nonzero' });
      row.appendChild(cell('label', '指标', info ? info.label : key));
      var v = cell('value', '数值', formatNumber(values[key]));
      v.setAttribute('data-value', String(values[key]));
      row.appendChild(v);
      row.appendChild(cell('unit', '计量单位', info ? info.unit : ''));
      tbody.appendChild(row);
    });
    if (!keys.length) {
      var empty = el('tr'); empty.appendChild(cell('message', '说明', '该月没有填报任何数值。'));
      empty.firstChild.setAttribute('colspan', '3');
      tbody.appendChild(empty);
    }
    return table;
  }

  function renderProblems(errors, warnings) {
    var tbody = $('problems').getElementsByTagName('tbody')[0];
    clear(tbody);
    var all = errors.map(function (f) { return { f: f, kind: 'error' }; }).concat(warnings.map(function (f) { return { f: f, kind: 'warning' }; }));
    all.forEach(function (item) {
      var f = item.f;
      var tr = el('tr', { 'class': item.kind, 'data-code': f.code });
      tr.appendChild(cell('kind', '类别', item.kind === 'error' ? '错误' : '提醒'));
      tr.appendChild(cell('row', '行', f.row === null || f.row === undefined ? '整个文件' : String(f.row)));
      tr.appendChild(cell('column', '列', f.column === null || f.column === undefined ? '—' : f.column));
      tr.appendChild(cell('value', '内容', f.value === null || f.value === undefined ? '—' : f.value));
      tr.appendChild(cell('message', '说明', f.message));
      tbody.appendChild(tr);
    });
    $('problems-title').textContent = errors.length ? '问题（共 ' + errors.length + ' 处错误' + (warnings.length ? '，' + warnings.length + ' 条提醒' : '') + '）' : '提醒（文件已接收，请核对）';
    show($('problems-block'), all.length > 0);
  }

  // ---- the town: completeness and the summary ----
  function loadCompleteness() {
    var period = currentPeriod();
    if (!period) return Promise.resolve(null);
    setStatus('completeness-status', '正在读取报送情况…', 'busy');
    return whileBusy(getJson('v1/completeness/' + encodeURIComponent(period)).then(function (c) {
      if (currentPeriod() !== period) return null;
      renderCompleteness(c);
      setStatus('completeness-status', '');
      return c;
    }, function (error) {
      setStatus('completeness-status', messageOf(error), 'error');
      throw error;
    }));
  }

  function renderCompleteness(c) {
    var s = c.summary;
    $('completeness-summary').textContent = chineseMonth(c.period) + '：应报 ' + s.expected + ' 个单位，已报 ' + s.received + '（按时 ' + s.onTime + '，迟报 ' + s.late + '），未报 ' + s.missing + '。截止日期 ' + deadlineText(c.period, state.me.deadlineDay) + '。';
    var table = $('completeness');
    table.setAttribute('data-period', c.period);
    var tbody = table.getElementsByTagName('tbody')[0];
    clear(tbody);
    c.units.forEach(function (u) {
      var tr = el('tr', { 'data-unit': u.unit, 'data-status': u.status });
      tr.appendChild(cell('unit', '代码', u.unit));
      tr.appendChild(cell('name', '单位', u.name));
      var st = cell('status', '状态', STATUS_LABELS[u.status] || u.status);
      st.setAttribute('data-status', u.status);
      tr.appendChild(st);
      tr.appendChild(cell('first', '首次报送', u.firstReceivedAt ? beijing(u.firstReceivedAt) : '—'));
      tr.appendChild(cell('received', '最近报送', u.receivedAt ? beijing(u.receivedAt) : '—'));
      tr.appendChild(cell('warnings num', '提醒', u.warnings ? String(u.warnings) + ' 条' : '—'));
      tbody.appendChild(tr);
    });
    show($('summary'), false);
    if (c.published) {
      setStatus('summary-status', '已发布（第 ' + c.published.revision + ' 版）。', 'ok');
      show($('show-summary'), true); show($('download-summary'), true);
    } else {
      setStatus('summary-status', '尚未发布（截止日期过后自动汇总发布）。');
      show($('show-summary'), false); show($('download-summary'), false);
    }
  }

  function summaryPath(period, csv) { return 'v1/summaries/monthly/' + encodeURIComponent(period) + (csv ? '?format=csv' : ''); }

  function notPublished(error) {
    if (error instanceof ApiError && error.status === 404) { setStatus('summary-status', '尚未发布。', ''); show($('summary'), false); return true; }
    return false;
  }

  function showSummary() {
    var period = currentPeriod();
    if (!period) return Promise.resolve();
    setStatus('summary-status', '正在读取汇总…', 'busy');
    return whileBusy(getJson(summaryPath(period, false)).then(function (summary) {
      return loadCatalogue().catch(function () { return null; }).then(function () { renderSummary(summary); });
    }).catch(function (error) { if (!notPublished(error)) setStatus('summary-status', messageOf(error), 'error'); }));
  }

  function percent(r) { return r === null || r === undefined ? '—（无可计算的数据）' : (Math.round(r * 1000) / 10) + '%'; }

  function renderSummary(summary) {
    setStatus('summary-status', chineseMonth(summary.period) + '汇总：第 ' + summary.revision + ' 版。', 'ok');
    $('summary-meta').textContent = '发布时间：' + beijing(summary.publishedAt) + '（北京时间）' + (summary.completeness ? '；已报 ' + summary.completeness.submitted + '/' + summary.completeness.expected + ' 个单位' : '') + '。';
    var derived = $('summary-derived').getElementsByTagName('tbody')[0];
    clear(derived);
    var d = summary.derived || {};
    [['隐患整改率', percent(d.rectificationRate)], ['临水临崖道路隐患整治率', percent(d.roadRectificationRate)], ['食品安全隐患整改率', percent(d.foodRectificationRate)], ['信访办理中（件）', d.petitionsInProgress === undefined ? '—' : String(d.petitionsInProgress)]].forEach(function (pair) {
      var tr = el('tr'); tr.appendChild(el('th', { scope: 'row' }, pair[0])); tr.appendChild(cell('value', pair[0], pair[1])); derived.appendChild(tr);
    });
    var tbody = $('summary-totals').getElementsByTagName('tbody')[0];
    clear(tbody);
    var totals = summary.totals || {};
    var catalogue = state.catalogue;
    Object.keys(totals).filter(function (k) { return totals[k] !== 0; }).sort(function (a, b) {
      var oa = catalogue && a in catalogue.order ? catalogue.order[a] : 1e9, ob = catalogue && b in catalogue.order ? catalogue.order[b] : 1e9;
      return oa - ob;
    }).forEach(function (key) {
      var info = catalogue ? catalogue.keys[key] : null;
      var tr = el('tr', { 'data-key': key });
      tr.appendChild(cell('label', '指标', info ? info.label : key));
      var v = cell('value', '合计', formatNumber(totals[key])); v.setAttribute('data-value', String(totals[key]));
      tr.appendChild(v);
      tr.appendChild(cell('unit', '计量单位', info ? info.unit : ''));
      tbody.appendChild(tr);
    });
    if (!tbody.firstChild) { var tr = el('tr'); tr.appendChild(cell('message', '说明', '本月合计全部为 0。')); tr.firstChild.setAttribute('colspan', '3'); tbody.appendChild(tr); }
    show($('summary'), true);
  }

  function downloadSummary() {
    var period = currentPeriod();
    if (!period) return Promise.resolve();
    setStatus('summary-status', '正在下载汇总 CSV…', 'busy');
    return whileBusy(request(summaryPath(period, true)).then(function (response) {
      var name = fileNameOf(response, '汇总-' + period + '.csv');
      return response.blob().then(function (blob) { saveBlob(blob, name); setStatus('summary-status', '已下载：' + name, 'ok'); });
    }).catch(function (error) { if (!notPublished(error)) setStatus('summary-status', messageOf(error), 'error'); }));
  }

  // ---- wiring ----
  function init() {
    $('login-form').addEventListener('submit', function (event) { event.preventDefault(); login(); });
    $('toggle-token').addEventListener('click', function () {
      var input = $('token'), visible = input.type === 'password';
      input.type = visible ? 'text' : 'password';
      this.textContent = visible ? '隐藏' : '显示';
      this.setAttribute('aria-pressed', visible ? 'true' : 'false');
    });
    $('remember').addEventListener('change', function () {
      if (!this.checked) storeToken('');
      else if (state.me && state.token) storeToken(state.token);
    });
    $('logout').addEventListener('click', logout);
    $('period').addEventListener('change', monthChanged);
    $('download-template').addEventListener('click', downloadTemplate);
    $('file').addEventListener('change', fileChanged);
    $('upload').addEventListener('click', upload);
    $('recheck').addEventListener('click', recheck);
    $('refresh-completeness').addEventListener('click', function () { loadCompleteness().catch(function () { return null; }); });
    $('show-summary').addEventListener('click', showSummary);
    $('download-summary').addEventListener('click', downloadSummary);
    var saved = storedToken();
    if (saved) { $('token').value = saved; $('remember').checked = true; login(); }
    document.documentElement.setAttribute('data-ready', 'true');
  }
  init();
})();
`;

/** The page: one HTML document, everything inline. */
export function pageHtml(): string {
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="format-detection" content="telephone=no">',
    '<title>村报 · 月度统计填报</title>',
    '<link rel="icon" href="data:,">',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    BODY,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
  ].join('\n');
}
