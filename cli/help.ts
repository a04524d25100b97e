/** `--help` texts, Chinese first, English after: the CLI's users are both. */

const main = `村报 cunbao — 村（社区）法治统计月报：检查、汇总、发布
cunbao — monthly rule-of-law statistics of a township: check, count once, publish

用法 Usage: npx cunbao <命令 command> [选项 options]

命令 Commands:
  validate FILE... [--as UNIT] [--text]
      检查月报文件（CSV 竖表/横表、JSON；UTF-8 或 GB18030），每个文件输出一行 JSON。
      Check village files; prints one JSON line per file.
  template [--format long|wide] [--unit V01] [--period 2025-03]
      输出可直接填写的 CSV 模板（UTF-8 带 BOM，Excel 可直接打开）。
      Print a ready-to-fill CSV template (UTF-8 with BOM).
  start
      启动本地流水线（目前只显示计划）。Start the local pipeline (for now: the plan).

每个命令都支持 --help。Every command takes --help.
环境变量 Environment: CUNBAO_NOW=2025-04-03T09:00:00+08:00 固定当前时间 (fixes the clock);
  CUNBAO_UNITS=路径 使用另一个单位名录 (another unit registry; default config/units.json).
退出码 Exit codes: 0 全部通过 all accepted · 1 有文件未通过 a file was rejected · 2 用法错误 usage error.
`;

const validate = `用法 Usage: npx cunbao validate FILE... [--as UNIT] [--text]

检查一个或多个月报文件，每个文件输出一行 JSON：
Checks each file and prints one JSON line per file:
  {"file","status":"accepted"|"rejected","format","encoding",
   "submissions":[{"unit","period","values":{"指标代码" 或 "指标代码.分类": 数值}}],
   "errors":[{"code","row","column","value","message"}],"warnings":[...]}

  --as UNIT   以该单位的身份检查（只能报送本单位，否则 UNIT_NOT_ALLOWED）。
              Check as if UNIT uploaded the file (other units: UNIT_NOT_ALLOWED).
              不给时按镇管理员检查，所有单位都可以。Default: town administrator.
  --text      输出中文说明而不是 JSON。Print a Chinese summary instead of JSON.

文件格式 Formats: 竖表 long CSV (单位代码,月份,指标代码,指标名称,数值,备注)、
  横表 wide CSV (单位代码,月份,<指标>…)、JSON ({"unit","period","values"} 或数组 or an array).
退出码 Exit: 0 全部通过 all accepted · 1 有文件未通过 any rejected · 2 用法错误 usage error.
`;

const template = `用法 Usage: npx cunbao template [--format long|wide] [--unit V01] [--period 2025-03] > 模板.csv

输出可直接用 Excel/WPS 打开填写的 CSV 模板（UTF-8 带 BOM，CRLF），含中文指标名称和计量单位。
Prints a ready-to-fill CSV (UTF-8 with BOM, CRLF) with Chinese labels and units of measure.

  --format long   竖表：每个指标一行，在“数值”列填写（默认）。Long: one row per metric (default).
  --format wide   横表：每个单位一行，每个指标一列。Wide: one row per unit, one column per metric.
  --unit V01      预先填好单位代码；横表不给时列出全部单位。Pre-fill the unit (wide: all units when absent).
  --period YYYY-MM 月份，默认上个月。The month; default: last month (Asia/Shanghai).

数值留空表示“未报告”，没有发生请填 0。A blank value means "not reported"; write 0 for none.
`;

const start = `用法 Usage: npm start  (= npx cunbao start)

计划中的流水线 The planned pipeline (issue by issue):
  1. 上传 upload: incoming/{unit}/{period}/{uploadId}.csv → S3 (本地 local: s3rver)
  2. S3 ObjectCreated → SQS → ingest 函数：解码、检查（本命令行 validate 的同一核心）、写入 DynamoDB
     (DynamoDB Local)，每个单位每月只计一次，更正替换旧数据。
  3. 定时 schedules (Asia/Shanghai)：每月3日催报，6日发布月报并发邮件，1月发布年报和年度报告统计草稿。
  4. 区县接口 district API：/v1/summaries/... JSON 和 CSV，带令牌认证。
目前可用 Available now: validate, template.
`;

export const HELP = { main, validate, template, start } as const;
