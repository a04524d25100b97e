/**
 * What the panels share while a token is signed in: who it is, the catalogue and units
 * read once, the node shown, which request generation is current (a newer action makes older answers
 * stale), and the controls a running request disables.
 */
import type { Role } from '../../shared/auth/roles.ts';
import type { CatalogueKey, MeBody, Org, Unit, UnitMonth } from './types.ts';

export interface IndexedCatalogue {
  readonly keys: Readonly<Record<string, CatalogueKey>>;
  /** A key's place in the catalogue, to list figures in the form's order. */
  readonly order: Readonly<Record<string, number>>;
}

export const session = {
  token: '',
  me: null as MeBody | null,
  /** The node the town section shows, when the caller opened one other than its own. */
  view: null as Org | null,
  catalogue: null as IndexedCatalogue | null,
  units: null as readonly Unit[] | null,
  /** A secretary's last 12 months as last read (panels/my-months.ts), newest first. */
  months: null as readonly UnitMonth[] | null,
  busy: 0,
  generation: 0,
  lastUploadId: null as string | null,
  lastPeriod: null as string | null,
};

/** What a role may do on the page: upload files, see the town's completeness and summaries, publish one. */
export function can(role: Role, what: 'upload' | 'town' | 'publish'): boolean {
  if (what === 'upload') return role === 'village' || role === 'town' || role === 'admin';
  if (what === 'publish') return role === 'town' || role === 'admin';
  return role === 'town' || role === 'district' || role === 'admin';
}

/** The signed-in caller, for handlers that only run once signed in. */
export function me(): MeBody {
  if (!session.me) throw new Error('no one is signed in');
  return session.me;
}

// ---- busy: every control a panel registers is disabled while a request runs ----
const controls: { readonly id: string; readonly ready: () => boolean }[] = [];

/** Controls of a panel; `ready` keeps one disabled when idle too (an upload without a file). */
export function registerControls(ids: readonly string[], ready: () => boolean = () => true): void {
  ids.forEach((id) => {
    controls.push({ id, ready });
  });
}

function busy(on: boolean): void {
  session.busy += on ? 1 : -1;
  const disabled = session.busy > 0;
  controls.forEach((control) => {
    const node = document.getElementById(control.id);
    if (node instanceof HTMLButtonElement || node instanceof HTMLInputElement || node instanceof HTMLSelectElement)
      node.disabled = disabled || !control.ready();
  });
  document.body.setAttribute('aria-busy', disabled ? 'true' : 'false');
}

/** Runs with the controls disabled until `promise` settles. */
export function whileBusy<T>(promise: Promise<T>): Promise<T> {
  busy(true);
  return promise.then(
    (v) => {
      busy(false);
      return v;
    },
    (e: unknown) => {
      busy(false);
      throw e;
    },
  );
}
