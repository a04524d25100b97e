/**
 * Which node the town section shows: a district user (or an admin of several towns)
 * starts on the district and opens a town — by the choice above the tables, or by a
 * town's name in the district's tables — and goes back to the district. A town sees
 * only its own town, so it has no choice to make.
 */
import { $, el, select, show } from '../app/dom.ts';
import { linkedOrg } from '../app/link.ts';
import { orgOf, seesTowns, viewedOrg } from '../app/org.ts';
import { me, registerControls, session } from '../app/session.ts';
import type { MeBody, Org } from '../app/types.ts';
import { describeCharts } from './charts.ts';
import { clearCompleteness, loadCompleteness } from './completeness.ts';

/** The town section's heading and captions say which node they are about. */
function describeView(org: Org): void {
  $('town-heading').textContent = `${org.name}报送情况`;
  $('completeness-caption').textContent = `${org.name}各单位报送情况`;
  $('towns-caption').textContent = `${org.name}各镇报送情况`;
  $('summary-heading').textContent = `${org.name}月度汇总`;
  $('summary-totals-caption').textContent = `${org.name}合计（不为 0 的指标）`;
  $('charts-heading').textContent = `${org.name}图表`;
  describeCharts(org);
}

/** After sign-in: the caller's own node, and the choice of towns if it stands above them. */
export function setupOrgs(signedIn: MeBody): void {
  session.view = null;
  const choice = select('org-choice');
  while (choice.options.length) choice.remove(0);
  if (seesTowns(signedIn)) {
    choice.appendChild(el('option', { value: signedIn.org.code }, `全区：${signedIn.org.name}`));
    signedIn.towns.forEach((town) => {
      choice.appendChild(el('option', { value: town.code }, town.name));
    });
  }
  // A notice's link may name one of the caller's towns: the page opens it (not another's).
  const code = linkedOrg();
  const linked = code ? orgOf(signedIn, code) : null;
  if (linked && linked.code !== signedIn.org.code) session.view = linked;
  const viewed = viewedOrg(signedIn);
  choice.value = viewed.code;
  show($('org-nav'), seesTowns(signedIn));
  show($('back-to-district'), viewed.code !== signedIn.org.code);
  describeView(viewed);
}

/** Forgets the node opened (no one is signed in). */
export function resetOrgs(): void {
  session.view = null;
  show($('org-nav'), false);
}

/** Shows node `code` (one the caller may open): its completeness, then its summary on request. */
function openOrg(code: string): void {
  const signedIn = me();
  const org = orgOf(signedIn, code);
  if (!org || org.code === viewedOrg(signedIn).code) return;
  session.view = org.code === signedIn.org.code ? null : org;
  session.generation++;
  select('org-choice').value = org.code;
  show($('back-to-district'), org.code !== signedIn.org.code);
  describeView(org);
  clearCompleteness();
  loadCompleteness()
    .then(() => $('town-heading').focus())
    .catch(() => null);
}

/** A click on a town's name in the district's tables (`button[data-open]`), delegated. */
function openClicked(event: Event): void {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const button = target.closest('button[data-open]');
  const code = button ? button.getAttribute('data-open') : null;
  if (code) openOrg(code);
}

export function initOrgs(): void {
  registerControls(['org-choice', 'back-to-district']);
  select('org-choice').addEventListener('change', () => openOrg(select('org-choice').value));
  $('back-to-district').addEventListener('click', () => openOrg(me().org.code));
  $('town-section').addEventListener('click', openClicked);
}
