/** The secretaries' page (being written: see issue 5). */
export function pageHtml(): string {
  return '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>村报</title><body><p>村报</p></body></html>';
}
