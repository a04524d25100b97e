/**
 * The secretaries' page, one HTML document for every role, in Chinese, for a phone as for
 * an office PC (served at `GET /`; built by shared/web/build.ts):
 * - everyone pastes a token and sees who it speaks for (panels/login.ts), then picks a
 *   month and sees its deadline (panels/month.ts);
 * - a village sees its last 12 months with their state, deadline and lock day, and each
 *   month's audit trail (panels/my-months.ts, panels/history.ts);
 * - a village (and the town, and an admin) downloads the template and uploads a file by
 *   presigned POST (panels/upload.ts), and sees what it changed, the figures or the
 *   problems (panels/result.ts);
 * - the town, the district and an admin see the month's desk: each unit's review state,
 *   missing first, its figures and months on a click (panels/completeness.ts,
 *   panels/unit-detail.ts), where the publication stands, the live totals beside the year
 *   to date, and (town, admin) the publish button (panels/desk.ts); the town approves, returns and reopens
 *   (panels/review.ts); all see the published summary (panels/summary.ts) of their
 *   node; the district sees one line per town (panels/towns.ts) and opens a town
 *   (panels/orgs.ts).
 * A panel is one module with an init; a new panel (a chart) is a module and a line here.
 *
 * Everything the API says is inserted with `textContent`, never as HTML; no inline
 * `style` attributes either (the CSP admits only the page's own script and style).
 *
 * Stable hooks for tests: `#result[data-status]`, `#figures tr[data-key] td.value`,
 * `#figures p.changes[data-unit][data-period]`, `#result-reused`,
 * `#my-months tbody tr[data-period][data-state]` with `td.review`, `td.deadline`, `td.lock-day`,
 * `td.locked` and `button.history`, `#my-history[data-period] li.event[data-kind]`,
 * `#completeness tr[data-unit][data-review] td.review`, `td.actions button[data-action]`,
 * `.review-form input.reason`, `button.confirm`, `#review-status`, `#unit-history`,
 * `#problems tbody tr` with `td.row`, `td.column`, `td.value`, `td.message`,
 * `#completeness[data-period][data-org] tbody tr[data-unit] td.status`,
 * `#towns[data-period][data-org] tbody tr[data-town]` with `td.expected`, `td.received`, `td.on-time`,
 * `td.late`, `td.missing`, `td.missing-units` and `button[data-open]`, `#org-choice`, `#back-to-district`,
 * `#summary-totals tr[data-key] td.value`, `#summary-towns tr[data-town]`,
 * `#desk-publication[data-state]`, `#publish-summary`, `#publish-hint`, `#publish-status`,
 * `#desk-totals tr[data-key]` with `td.month`, `td.year`, `#desk-missed`, `button[data-detail]`,
 * `#unit-detail[data-unit]` with `#unit-figures tr[data-key] td.value` and `#unit-months tr[data-period][data-state]`,
 * and `html[data-ready=true]` once the page is wired.
 */
import { initCompleteness } from './panels/completeness.ts';
import { initLogin, resumeSession } from './panels/login.ts';
import { initMonth } from './panels/month.ts';
import { initOrgs } from './panels/orgs.ts';
import { initUpload } from './panels/upload.ts';
import { initSummary } from './panels/summary.ts';
import { initCharts } from './panels/charts.ts';
import { initDesk } from './panels/desk.ts';

initLogin();
initMonth();
initUpload();
initCompleteness();
initOrgs();
initSummary();
initCharts();
initDesk();
resumeSession();
document.documentElement.setAttribute('data-ready', 'true');
