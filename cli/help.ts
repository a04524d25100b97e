/** `--help` texts, Chinese first, English after: the CLI's users are both. */

const main = `村报 cunbao — 村（社区）法治统计月报：检查、汇总、发布
cunbao — monthly rule-of-law statistics of a township: check, count once, publish

用法 Usage: npx cunbao <命令 command> [选项 options]

命令 Commands:
  validate FILE... [--as UNIT] [--town TOWN] [--text] [--data-dir DIR]
      检查月报文件（CSV 竖表/横表、JSON；UTF-8 或 GB18030），每个文件输出一行 JSON。
      Check village files; prints one JSON line per file.
  template [--format csv|xlsx] [--layout long|wide] [--unit V01] [--period 2025-03] [--out FILE]
      输出可直接填写的 CSV 模板（UTF-8 带 BOM），或 Excel 工作簿（--format xlsx，需 --out 或重定向）。
      Print a ready-to-fill CSV template (UTF-8 with BOM), or write it as an Excel workbook.
  start [--data-dir DIR] [--port 3000]       (= npm start)
      在前台运行本地流水线（需要 Java）。Run the local pipeline in the foreground (needs Java).
  ingest FILE... [--as UNIT] [--town TOWN] [--data-dir DIR] [--json]
      上传并等待处理结果。Upload and wait for the outcome.
  status UPLOAD_ID [--json]
      一次上传的结果。An upload's outcome.
  summary --month YYYY-MM | --year YYYY [--org CODE] [--approved-only] [--json | --format csv|xlsx --out FILE]
      镇或全区的月度/年度汇总（--approved-only：只计已审核的）。A town's or the district's monthly or annual summary.
  completeness --month YYYY-MM [--org CODE] [--json]
      报送情况：应报、已报、按时、迟报、未报单位；全区按镇列出。Who has sent a month (the district: per town).
  reconcile [--json]
      补处理没有结果的文件。Process files that have no outcome.
  dlq list | dlq replay [ID...] [--json]
      查看/重放死信。List or replay dead letters.
  publish --month YYYY-MM | --year YYYY [--org CODE] [--json]
      立即发布汇总（有变化时出新版本）并发邮件。Publish a summary now (a new revision if it changed) and mail it.
  run-schedule --at ISO-8601
      运行该时刻前应运行的定时任务。Run what the schedules would have run up to that instant.
  report --year YYYY [--org CODE] [--format md|html|docx] [--out FILE]
      年度报告统计部分草稿。The annual report's statistics, drafted.
  review approve|return|reopen UNIT PERIOD [--reason 文字] [--org TOWN] [--version N] [--json]
      镇审核某单位某月：审核通过、退回（须写原因）、重新打开（须写原因）。The town's review of a unit-month.
  history UNIT PERIOD [--org TOWN] [--json]
      某单位某月的全部记录：每一版及其变化、每次审核。A unit-month's audit trail.
  token issue --role village|town|district|admin [--town EC] [--unit V03] [--expires 90d] [--note 文字]
  token list [--json] | token revoke TOKEN_ID
      签发、列出、撤销访问凭证（只保存摘要）。Issue, list, revoke access tokens (only hashes are stored).

每个命令都支持 --help。Every command takes --help.
--org CODE：镇（街道）代码（如 EC）或区代码（如 QJ）；不给时为全区，只有一个镇的名录为该镇。
  A town's code or the district's; default: the district, or the single town of a one-town registry.
ingest、status、reconcile、dlq、publish 默认输出中文说明，加 --json 则每项一行 JSON；
  在终端里，耗时的命令在 stderr 显示进度。
  They print Chinese by default and one JSON line per item with --json; at a terminal,
  long-running commands show their progress on stderr.
环境变量 Environment: CUNBAO_NOW=2025-04-03T09:00:00+08:00 固定当前时间 (fixes the clock);
  CUNBAO_UNITS=路径 使用另一个单位名录 (another unit registry; default config/units.json);
  CUNBAO_DATA_DIR=目录 本地数据目录 (local data dir; default .data).
退出码 Exit codes: 0 全部通过 all accepted · 1 有文件未通过 a file was rejected · 2 用法错误 usage error
  · 3 其他失败（信息说明原因）something else failed (the message says what).
`;

const TOWN_OPTION = `  --town TOWN 文件中的单位代码和名称按此镇解读（多镇名录；也可写完整代码 EC/V03 或区划代码）。
              Read the file's unit codes and names in that town (a registry of several towns;
              full codes EC/V03 and division codes need no --town). 不给时：只有一个镇则为该镇，
              否则多个镇都有的代码或名称为 AMBIGUOUS_UNIT。Without it: the single town, else
              a code or name found in several towns is AMBIGUOUS_UNIT.`;

const validate = `用法 Usage: npx cunbao validate FILE... [--as UNIT] [--town TOWN] [--text] [--data-dir DIR]

检查一个或多个月报文件，每个文件输出一行 JSON：
Checks each file and prints one JSON line per file:
  {"file","status":"accepted"|"rejected","format","encoding",
   "submissions":[{"unit","period","values":{"指标代码" 或 "指标代码.分类": 数值}}],
   "errors":[{"code","row","column","value","message"}],"warnings":[...]}

  --as UNIT   以该单位的身份检查（只能报送本单位，否则 UNIT_NOT_ALLOWED）。
              Check as if UNIT uploaded the file (other units: UNIT_NOT_ALLOWED).
              不给时按管理员检查，所有单位都可以。Default: the administrator.
${TOWN_OPTION}
  --text      输出中文说明而不是 JSON。Print a Chinese summary instead of JSON.
  --data-dir DIR  对照该本地数据目录的现行数据，每份月报加上 "changes":[{"key","from","to"}]
              （会改动什么；不上传）。空白行或 JSON null 表示清空该项（cleared）。
              Against that data dir's current months, each submission gets the change list
              it would make (nothing is uploaded). A blank row or JSON null clears a value.

文件格式 Formats: 竖表 long CSV (单位代码,月份,指标代码,指标名称,数值,备注)、
  横表 wide CSV (单位代码,月份,<指标>…)、JSON ({"unit","period","values"} 或数组 or an array).
退出码 Exit: 0 全部通过 all accepted · 1 有文件未通过 any rejected · 2 用法错误 usage error.
`;

const template = `用法 Usage: npx cunbao template [--format csv|xlsx] [--layout long|wide] [--unit V01] [--period 2025-03] [--out FILE]
  例 e.g.  npx cunbao template > 模板.csv
           npx cunbao template --format xlsx --unit V03 --out 石柱村-2025-03.xlsx

输出可直接用 Excel/WPS 打开填写的模板，含中文指标名称和计量单位。
Writes a ready-to-fill template with Chinese labels and units of measure.

  --format csv    CSV（默认，UTF-8 带 BOM，CRLF）。CSV (default; UTF-8 with BOM, CRLF).
  --format xlsx   Excel 工作簿：表头冻结，代码和名称锁定（工作表保护，无密码），数值格校验
                  （计数为不小于 0 的整数，金额最多 2 位小数），附“填表说明”工作表。
                  An Excel workbook: header frozen, codes and labels locked (no password), value
                  cells validated, with a sheet 填表说明 explaining.
                  二进制内容不能输出到终端：请用 --out 或重定向。Binary: give --out FILE or redirect.
  --layout long   竖表：每个指标一行，在“数值”列填写（默认）。Long: one row per metric (default).
  --layout wide   横表：每个单位一行，每个指标一列。Wide: one row per unit, one column per metric.
                  （旧写法 --format long|wide 仍可用，即 CSV 的该样式。The older --format long|wide
                  still means a CSV of that layout.）
  --unit V01      预先填好单位代码；横表不给时列出全部单位。Pre-fill the unit (wide: all units when absent).
  --period YYYY-MM 月份，默认上个月。The month; default: last month (Asia/Shanghai).
  --out FILE      写入文件而不是标准输出。Write to FILE instead of stdout.

数值留空表示“未报告”，没有发生请填 0。A blank value means "not reported"; write 0 for none.
`;

const DATA_DIR = `  --data-dir DIR  本地数据目录（默认 .data，或 CUNBAO_DATA_DIR）。Local data dir (default .data).
                  若 npm start 正在该目录运行，就用它；否则本命令临时启动一套。
                  Uses the running \`npm start\` of that dir, else starts a stack for the command.`;

const start = `用法 Usage: npm start  (= npx cunbao start [--data-dir DIR] [--port 3000])

在前台运行本地流水线（DynamoDB Local + s3rver + 入库函数 + 网页与接口），按 Ctrl-C 停止。
Runs the local pipeline in the foreground (DynamoDB Local on Java, s3rver behind its POST
policy gate, the ingest function behind a local queue, the schedules, and the web page and
HTTP API on http://127.0.0.1:3000); Ctrl-C or SIGTERM stops it, and Java with it.
启动时补处理 incoming/ 下尚无结果的文件。At start-up, files under incoming/ without an outcome are processed.

停止 Stopping: SIGINT（Ctrl-C）或 SIGTERM 在几秒内停止 node 和 Java，退出码 0。经 npm start 或 npx 启动时，
  npm 的 shell 退出（npm 只把信号转给它）也会让本命令停止。即使 node 被强杀，Java 也会随之停止。
  SIGINT or SIGTERM stop node and Java within seconds (exit 0). Started through npm or npx, it also
  stops when npm's shell goes away (npm forwards signals to that shell only). Java stops even if
  node is killed.
Java 意外退出 If Java dies: DynamoDB Local（Java）意外退出时，本命令在 stderr 用中英文说明，停止其余服务，
  以退出码 3 结束；不自动重启（交给进程管理器，如 systemd 的 Restart=on-failure）。
  it says so on stderr (Chinese and English), stops the rest and exits 3; it does not restart
  by itself (leave that to a process manager, e.g. systemd's Restart=on-failure).
  --port N        网页与接口的端口（默认 3000，0 = 任选空闲端口）。The web page and API's port.
${DATA_DIR}
需要 Java 17+ (DynamoDB Local)：npm start 先检查，缺少时以 root 身份经 apt 安装，否则说明要装什么。
Needs Java 17+: npm start checks first, installs it through apt when run as root, else says what to install.
`;

const ingest = `用法 Usage: npx cunbao ingest FILE... [--as UNIT] [--town TOWN] [--data-dir DIR] [--json]

把文件（按参数顺序）以管理员身份上传到本地存储桶 incoming/{镇}/{单位}/{月份}/{编号}，
等流水线处理完，逐个文件用中文说明结果（上传编号、各单位月份是否生效、错误和提醒）；
--json 则每个文件一行 JSON（同 validate，另加 uploadId）。在终端里，stderr 显示上传和处理进度。
Uploads each file (in argument order, as the administrator) and waits for the
pipeline; says in Chinese what became of each file; with --json, one JSON line per file
like validate, plus "uploadId". At a terminal, stderr shows the progress.
同一单位同一月份，后上传的替换先上传的（更正）。A later upload for a unit and month replaces the earlier one.
  --as UNIT   以该单位报送人的身份上传（只能报送本单位，否则 UNIT_NOT_ALLOWED）。
              Upload as that unit's own secretary would (other units: UNIT_NOT_ALLOWED).
${TOWN_OPTION}
${DATA_DIR}
退出码 Exit: 0 全部通过 all accepted · 1 有文件未通过 any rejected · 2 用法错误 usage error.
`;

const status = `用法 Usage: npx cunbao status UPLOAD_ID [--data-dir DIR] [--json]

显示一次上传的结果（处理中/已接收/未通过、错误、提醒、各月状态）；--json 则输出上传记录的 JSON。
Shows an upload's outcome in Chinese; with --json, the upload record as one JSON line.
Exit 1 when it was rejected or is unknown.
${DATA_DIR}
`;

const ORG = `  --org CODE  镇（街道）代码或区代码；不给时为全区（只有一个镇的名录：该镇）。代码不存在时列出可用代码（退出码 2）。
              A town's code or the district's; default: the district, or the single town of a
              one-town registry. An unknown code lists the valid ones (exit 2).`;

const summary = `用法 Usage: npx cunbao summary --month YYYY-MM | --year YYYY [--org CODE] [--approved-only] [--json] [--data-dir DIR]
                          [--format text|json|csv|xlsx] [--out FILE]

镇汇总：各指标合计（含分类）、整改率等、报送情况（按时、迟报、未报单位）、各单位数据。
A town's summary: totals (every metric and category), derived rates, completeness (on time,
late, missing units) and each unit's figures.
区汇总：全区合计、全区报送情况（未报单位为完整代码 EC/V03），以及各镇合计与报送情况（towns）。
The district's: its totals and completeness (missing units as full codes), and each town's
totals and completeness under "towns": {"EC": {"name","totals","derived","completeness"}}.
不加 --json 输出中文表格（区汇总另有各镇报送情况表）。Without --json: a Chinese table (the district's
with a table of each town's completeness by name).
年度：流量指标累计，存量指标（法律明白人人数）取最近月份。Year: flows add up; stock metrics take the latest month.
审核情况：已审核的单位月份数（completeness.approved），镇汇总另有各单位的审核状态（review；年度：approvedMonths）。
Review: how many unit-months are approved, and a town's each unit's state (annual: approved months).
  --approved-only  只计已审核的单位月份（年度：各单位已审核的月份），列出未计入的单位（leftOut）。
                   Figures of the approved unit-months only; the units left out are listed.
  --format csv     汇总 CSV（与邮件附件相同）。The summary CSV (as the mails attach it).
  --format xlsx    Excel 工作簿：每个单位（区：每个镇）一列，未报的标明“未报”且留空，金额 0.00、比率 0.0%，
                   另有“报送情况”工作表；须 --out FILE 或重定向。An Excel workbook, a column per unit (the
                   district: per town), those that did not report marked and blank; needs --out or a redirect.
  --out FILE       写入文件而不是标准输出。Write to FILE instead of stdout.
${ORG}
${DATA_DIR}
`;

const completeness = `用法 Usage: npx cunbao completeness --month YYYY-MM [--org CODE] [--json] [--data-dir DIR]

某月报送情况：应报、已报、按时、迟报、未报单位（按名称）；全区则逐镇列出。按截止日（次月5日）判断迟报。
A month's completeness: expected, submitted, on time, late and the missing units by name; for
the district, each town's too. Late means first received after the deadline (day 5 of the next month).
--json 则一行 JSON {"org","orgName","level","period","expected","submitted","onTime","late",
  "missing":[{"unit","name"}],"towns":[{"code","name",…}]}（towns 仅全区）。
With --json, one JSON line; "towns" for the district only.
${ORG}
${DATA_DIR}
`;

const reconcile = `用法 Usage: npx cunbao reconcile [--data-dir DIR] [--json]

补处理 incoming/ 下没有结果的文件（事件丢失、上传后崩溃），等它们处理完，说明补处理了几个；
--json 则输出 {"reprocessed": N}。Processes files under incoming/ that have no outcome, waits for
them, and says how many; with --json, {"reprocessed": N}.
${DATA_DIR}
`;

const dlq = `用法 Usage: npx cunbao dlq list | npx cunbao dlq replay [MESSAGE_ID...] [--data-dir DIR] [--json]

死信队列：处理 3 次仍失败的消息。list 列出，replay 重新投递（全部或指定编号）；--json 则每条一行 JSON。
Dead-letter queue: messages that failed 3 times. list prints them; replay sends them again;
with --json, one JSON line per letter (replay: {"replayed","stillDead"}).
${DATA_DIR}
`;

const publish = `用法 Usage: npx cunbao publish --month YYYY-MM | --year YYYY [--org CODE] [--data-dir DIR] [--json]

立即发布一个镇或全区的月报或年报：与上一版不同时生成第 n+1 版（附更正清单），存到 S3 summaries/{CODE}/
和 DynamoDB，并发邮件。Publishes a town's or the district's monthly or annual summary now: a new
revision (with what changed) when it differs from the last one, stored in S3 summaries/{CODE}/
and DynamoDB, and mailed. 定时任务（run-schedule）发布每个镇和全区。The schedule publishes every town and the district.
输出中文说明；--json 则一行 JSON {"org","kind","period","revision","published","mailed"}。
Says what it did in Chinese; with --json, one JSON line.
邮件经 SMTP 发到本地收件箱 DIR/outbox/*.eml。Mail goes over SMTP to the local sink (DIR/outbox/*.eml).
收件人 Recipients: 镇汇总发 MAIL_TO_TOWN 及名录中该镇的 recipients；全区汇总（含各镇合计与报送情况）
发 MAIL_TO_DISTRICT 及名录中区的 recipients。A town's summary goes to MAIL_TO_TOWN and the town's
recipients of the registry; the district's digest to MAIL_TO_DISTRICT and the district's.
${ORG}
${DATA_DIR}
`;

const runSchedule = `用法 Usage: npx cunbao run-schedule --at ISO-8601 [--data-dir DIR]

运行定时任务在该时刻之前（自上次运行以来）应运行的全部任务：每月3日09:00催报，6日08:00发布上月月报（1月同时发布上年年报）。
Runs whatever the schedules (Asia/Shanghai) would have run up to that instant since the last
run: the reminder on day 3 at 09:00, the publication on day 6 at 08:00 (in January, the year too).
可逐日调用以回放一整年。Call it day by day to play a whole year. 每项任务输出一行 JSON。
${DATA_DIR}
`;

const report = `用法 Usage: npx cunbao report --year YYYY [--org CODE] [--format md|html|docx] [--out FILE] [--data-dir DIR]

输出镇或全区年度法治政府建设工作报告统计部分草稿（Markdown、带图表的 HTML，或 Word 文档 docx，WPS 可打开），
各项数字取自全年数据，1万元以上以万元计。docx 须用 --out 写入文件（或重定向）。
Prints the draft of a town's or the district's annual report statistics (Markdown, HTML with charts,
or a Word .docx — needs --out or a redirect), every figure from the year's data (the district's: all
its towns); money of 10 000 yuan and more in 万元.
${ORG}
${DATA_DIR}
`;

const token = `用法 Usage: npx cunbao token issue --role ROLE [--town TOWN] [--unit UNIT] [--expires 90d] [--note 文字]
                 npx cunbao token list [--json]
                 npx cunbao token revoke TOKEN_ID
                 (每个都可加 --data-dir DIR  each also takes --data-dir DIR)

访问凭证（Bearer 令牌）：村（社区）上传本单位月报、镇和区查看汇总时使用。
Access tokens (bearer tokens) for the API and the upload page, one role each:
  village  村（社区）书记：只能上传、查看本单位（必须 --unit）。A village: its own unit only (needs --unit).
  town     镇：查看全镇，代各单位上传。The town: reads everything, uploads for any unit.
  district 区：只读汇总。The district: reads summaries, never writes.
  admin    管理员。The administrator.

token issue   签发一个新凭证。凭证只在这里显示这一次（第一行），系统只保存其 SHA-256 摘要，
              丢失后无法找回，只能撤销后重新签发。第二行是一行 JSON：tokenId、角色、单位、到期时间。
              Issues a token and prints it once (first line), then one JSON line (tokenId, role,
              unit, expiresAt). Only its SHA-256 hash is stored: a lost token cannot be shown again.
  --role ROLE       village | town | district | admin
  --town TOWN       镇代码：town 凭证属于此镇（多镇名录必填），village 凭证的单位按此镇解读。
                    The town code: a town token's town (required with several towns); a village's unit is read in it.
  --unit UNIT       单位代码或名称（只用于 village）。The unit's code or name (village only).
  --expires 90d     有效期：90d（天）、12h（小时）、2025-12-31（当天北京时间 24 点到期）或带时区的
                    时间；默认 90d，最长一年。Lifetime: days, hours, a date (valid through that day,
                    Beijing time) or an ISO instant with offset; default 90d, at most a year.
  --note 文字       备注：持有人，例如“石柱村 张书记”。Who holds it (shown in the list).

token list    列出全部凭证（编号、角色、状态、签发与到期时间、备注），从不显示凭证或摘要；
              --json 每个凭证一行 JSON（含 status: active|expired|revoked）。
              Lists every token (id, role, status, times, note), never a secret or hash;
              --json prints one JSON line per token.
token revoke  立即撤销：之后用它的请求都被拒绝（TOKEN_REVOKED）。编号见 token list；重复撤销无害。
              Revokes a token at once (by its id, or the token itself); revoking twice is harmless.
${DATA_DIR}
退出码 Exit: 0 成功 done · 1 没有这个凭证 no such token (revoke) · 2 用法错误 usage error.
`;

const review = `用法 Usage: npx cunbao review approve|return|reopen UNIT PERIOD [--reason 文字] [--org TOWN] [--version N] [--data-dir DIR] [--json]
  approve   审核通过：该月锁定，本单位不能再更正。Approve: the month locks for its unit.
  return    退回（--reason 必填）：状态为“已退回”，本单位重报后回到“已报”。Return with a reason.
  reopen    重新打开（--reason 必填）：已审核或已过锁定日的月份可再更正。Reopen a locked month.
  --org TOWN  以该镇的身份审核（只能审核本镇单位）；不给时以管理员身份。Act as that town (else as the admin).
  --version N 审核所见的版本；不给时为此刻读到的现行版本。其间若有更正，审核失败（REVIEW_CONFLICT，退出码 1）。
              The version seen; default: the current one read now. A correction meanwhile fails it.
  退出码 Exit codes: 0 完成 done · 1 不能执行（REVIEW_CONFLICT、REVIEW_STATE、REASON_REQUIRED）· 2 用法错误.
`;

const history = `用法 Usage: npx cunbao history UNIT PERIOD [--org TOWN] [--data-dir DIR] [--json]
  某单位某月的审核状态、报送截止与锁定日，以及按时间先后的全部记录：每一版（谁、何时、改了什么）、
  每次审核（谁、何时、为何、针对第几版）、锁定期间被拒的报送、锁定日。
  A unit-month's review state, deadline and lock day, and its audit trail in time order.
`;

export const HELP = {
  main,
  validate,
  template,
  start,
  ingest,
  status,
  summary,
  completeness,
  reconcile,
  dlq,
  publish,
  'run-schedule': runSchedule,
  report,
  review,
  history,
  token,
} as const;
