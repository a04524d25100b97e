/**
 * Step 3: the month's template, the chosen file (checked here before anything is sent),
 * the presigned POST to S3 with a progress bar, and the wait for the check.
 */
import { bytesText, DEFAULT_MAX_BYTES } from '../../shared/limits.ts';
import { ApiError, download, getJson, messageOf, request } from '../app/api.ts';
import { $, input, select, setStatus, show, typed } from '../app/dom.ts';
import { currentPeriod } from '../app/period.ts';
import { me, registerControls, session, whileBusy } from '../app/session.ts';
import type { Created, UploadStatus } from '../app/types.ts';
import { loadMyMonths } from './my-months.ts';
import { showOutcome } from './result.ts';

/** What S3 answers a refused form with (its XML `Code`), said so a secretary can act. */
const S3_MESSAGES: Readonly<Record<string, string>> = {
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
  BadGateway: '存储服务器暂时不可用，请稍后重新上传。',
};
/** Spreadsheets the reader does not take: saved again as .xlsx, they are read. */
const OTHER_SPREADSHEETS = ['xls', 'xlsm', 'xlsb', 'et', 'ett', 'ods', 'numbers'];
const POLL_INTERVAL_MS = 1000;
const POLL_LIMIT_MS = 120000;

// ---- the template ----
/** The month's template as CSV, or as an Excel workbook (header frozen, codes locked, values checked as typed). */
function downloadTemplate(format: 'csv' | 'xlsx'): Promise<void> {
  const period = currentPeriod();
  if (!period) {
    setStatus('template-status', '请先选择月份。', 'error');
    return Promise.resolve();
  }
  const village = me().role === 'village';
  let query = `?layout=${village ? 'long' : encodeURIComponent(select('template-layout').value)}&format=${format}`;
  const unit = village ? '' : select('upload-unit').value;
  if (unit) query += `&unit=${encodeURIComponent(unit)}`;
  setStatus('template-status', '正在下载模板…', 'busy');
  return whileBusy(
    download(`v1/templates/${encodeURIComponent(period)}${query}`, `填报模板-${period}.${format}`).then(
      (name) =>
        setStatus(
          'template-status',
          format === 'xlsx'
            ? `已下载：${name}。用 Excel 或 WPS 打开，在浅黄色格子里填写；“填表说明”工作表有说明。`
            : `已下载：${name}。用 Excel 或 WPS 打开，填好后另存为 CSV。`,
          'ok',
        ),
      (error: unknown) => setStatus('template-status', messageOf(error), 'error'),
    ),
  );
}

// ---- the file ----
type Chosen = { readonly format: 'csv' | 'json' | 'xlsx'; readonly error?: undefined } | { readonly error: string };

const FORMAT_NAMES = { csv: 'CSV 表格', json: 'JSON', xlsx: 'Excel 工作簿' } as const;

function selectedFile(): File | null {
  const files = input('file').files;
  return files?.length ? files[0] || null : null;
}

function uploadReady(): boolean {
  const file = selectedFile();
  return !!file && !checkChosenFile(file).error;
}

/** The file's format, or the reason it cannot be sent (in Chinese). */
function checkChosenFile(file: File): Chosen {
  const match = /\.([A-Za-z0-9]+)$/.exec(file.name);
  const ext = match?.[1] ? match[1].toLowerCase() : '';
  if (OTHER_SPREADSHEETS.indexOf(ext) >= 0)
    return {
      error: `“${file.name}”是 .${ext} 格式的表格，系统读取 .xlsx 工作簿。请在 Excel 或 WPS 中点“文件 → 另存为”，保存类型选“Excel 工作簿(*.xlsx)”，再上传保存好的文件。`,
    };
  if (ext !== 'csv' && ext !== 'json' && ext !== 'xlsx')
    return { error: `只能上传 Excel 工作簿（.xlsx）、.csv 或 .json 文件（“${file.name}”不是）。` };
  if (file.size === 0) return { error: `文件“${file.name}”是空的，请确认已填好并保存。` };
  const max = session.me ? session.me.maxFileBytes : DEFAULT_MAX_BYTES;
  if (file.size > max) return { error: `文件太大：${bytesText(file.size)}，最多 ${bytesText(max)}。请删去多余的内容后重新保存。` };
  return { format: ext };
}

function fileChanged(): void {
  const file = selectedFile();
  const button = typed('upload', HTMLButtonElement);
  show($('result'), false);
  setStatus('upload-status', '');
  if (!file) {
    $('file-info').textContent = '';
    button.disabled = true;
    return;
  }
  const checked = checkChosenFile(file);
  if (checked.error !== undefined) {
    $('file-info').textContent = '';
    setStatus('upload-status', checked.error, 'error');
    button.disabled = true;
    return;
  }
  $('file-info').textContent = `已选择：${file.name}（${bytesText(file.size)}，${FORMAT_NAMES[checked.format]}）`;
  button.disabled = session.busy > 0;
}

// ---- the presigned POST ----
function s3ErrorOf(xhr: XMLHttpRequest): string {
  let code = '';
  let message = '';
  try {
    const doc = new DOMParser().parseFromString(xhr.responseText || '', 'application/xml');
    const c = doc.getElementsByTagName('Code')[0];
    const m = doc.getElementsByTagName('Message')[0];
    code = c?.textContent || '';
    message = m?.textContent || '';
  } catch {
    /* not XML */
  }
  let text = S3_MESSAGES[code];
  if (code === 'AccessDenied' && /expired/i.test(message)) text = '上传许可已过期（申请后需在限定时间内上传），请重新点“上传”。';
  if (!text) text = `存储服务器拒绝了上传（${xhr.status || '无答复'}）。请稍后重试；仍不行请联系镇管理员。`;
  return text + (code ? `（${code}${message ? `：${message}` : ''}）` : '');
}

/** Sends the form S3 expects: the presigned fields first, the file last; the bar follows. */
function sendForm(created: Created, file: File): Promise<void> {
  return new Promise((resolve, reject) => {
    const data = new FormData();
    Object.keys(created.fields).forEach((name) => {
      data.append(name, created.fields[name] || '');
    });
    data.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    const bar = typed('upload-progress', HTMLProgressElement);
    bar.value = 0;
    show(bar, true);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) {
        const pct = Math.round((event.loaded / event.total) * 100);
        bar.value = pct;
        setStatus('upload-status', `正在上传… ${pct}%`, 'busy');
      }
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        bar.value = 100;
        resolve();
      } else reject(new ApiError(xhr.status, 'S3', s3ErrorOf(xhr)));
    };
    xhr.onerror = () => reject(new ApiError(0, 'S3_NETWORK', '文件没能传到存储服务器（网络中断或被拦截），请检查网络后重新上传。'));
    xhr.ontimeout = () => reject(new ApiError(0, 'S3_TIMEOUT', '上传超时，请检查网络后重新上传。'));
    xhr.open('POST', created.url);
    xhr.timeout = 10 * 60 * 1000;
    xhr.send(data);
  });
}

function upload(): Promise<void> {
  const file = selectedFile();
  if (!file) {
    setStatus('upload-status', '请先选择文件。', 'error');
    return Promise.resolve();
  }
  const checked = checkChosenFile(file);
  if (checked.error !== undefined) {
    setStatus('upload-status', checked.error, 'error');
    return Promise.resolve();
  }
  const period = currentPeriod();
  const village = me().role === 'village';
  const multiMonth = !village && input('multi-month').checked;
  if (!period && !multiMonth) {
    setStatus('upload-status', '请先选择月份。', 'error');
    return Promise.resolve();
  }
  const body: { format: string; size: number; period?: string; unit?: string } = { format: checked.format, size: file.size };
  if (!multiMonth && period) body.period = period;
  if (!village && select('upload-unit').value) body.unit = select('upload-unit').value;
  const generation = ++session.generation;
  show($('result'), false);
  show($('recheck'), false);
  setStatus('upload-status', '正在申请上传…', 'busy');
  return whileBusy(
    request('v1/uploads', { method: 'POST', body })
      .then((response) => response.json() as Promise<Created>)
      .then((created) => {
        session.lastUploadId = created.uploadId;
        session.lastPeriod = period;
        setStatus('upload-status', '正在上传… 0%', 'busy');
        return sendForm(created, file).then(() => created);
      })
      .then((created) => {
        setStatus('upload-status', '上传完成，正在检查…', 'busy');
        return poll(created.uploadId, generation);
      })
      .catch((error: unknown) => {
        show($('upload-progress'), false);
        // A locked month is refused before any file is sent: said as such, and the months read again.
        const locked = error instanceof ApiError && error.code === 'PERIOD_LOCKED';
        setStatus('upload-status', locked ? `该月已锁定，文件没有上传。${messageOf(error)}` : messageOf(error), 'error');
        if (locked) loadMyMonths().catch(() => null);
      }),
  );
}

// ---- the wait for the check ----
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asks for the upload's status until the check is done, the session moved on, or the wait is too long. */
function poll(uploadId: string, generation: number): Promise<void> {
  const started = Date.now();
  function once(): Promise<void> {
    if (generation !== session.generation) return Promise.resolve();
    return getJson<UploadStatus>(`v1/uploads/${encodeURIComponent(uploadId)}`).then((status) => {
      if (generation !== session.generation) return undefined;
      if (status.status === 'accepted' || status.status === 'rejected') return showOutcome(status, generation);
      const waited = Math.round((Date.now() - started) / 1000);
      if (Date.now() - started > POLL_LIMIT_MS) {
        setStatus('upload-status', `文件已上传，但检查还没有完成（已等待 ${waited} 秒）。请稍后点“再次查看检查结果”。`, 'error');
        show($('recheck'), true);
        return undefined;
      }
      setStatus('upload-status', `正在检查…（已等待 ${waited} 秒）`, 'busy');
      return sleep(POLL_INTERVAL_MS).then(once);
    });
  }
  return once();
}

function recheck(): Promise<void> {
  const uploadId = session.lastUploadId;
  if (!uploadId) return Promise.resolve();
  const generation = ++session.generation;
  show($('recheck'), false);
  setStatus('upload-status', '正在检查…', 'busy');
  return whileBusy(
    poll(uploadId, generation).catch((error: unknown) => {
      setStatus('upload-status', messageOf(error), 'error');
      show($('recheck'), true);
    }),
  );
}

export function initUpload(): void {
  registerControls(['download-template', 'download-template-xlsx', 'recheck', 'file', 'upload-unit', 'template-layout', 'multi-month']);
  registerControls(['upload'], uploadReady);
  $('download-template').addEventListener('click', () => downloadTemplate('csv'));
  $('download-template-xlsx').addEventListener('click', () => downloadTemplate('xlsx'));
  input('file').addEventListener('change', fileChanged);
  $('upload').addEventListener('click', upload);
  $('recheck').addEventListener('click', recheck);
}
