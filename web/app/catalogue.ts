/** The catalogue (labels and units of the figures) and the town's units, read once per session. */
import { el, select } from './dom.ts';
import { getJson } from './api.ts';
import { session, type IndexedCatalogue } from './session.ts';
import type { Catalogue, CatalogueKey, Units, Unit } from './types.ts';

export function loadCatalogue(): Promise<IndexedCatalogue> {
  if (session.catalogue) return Promise.resolve(session.catalogue);
  return getJson<Catalogue>('v1/catalogue').then((c) => {
    const keys: Record<string, CatalogueKey> = {};
    const order: Record<string, number> = {};
    (c.keys || []).forEach((k, i) => {
      keys[k.key] = k;
      order[k.key] = i;
    });
    session.catalogue = { keys, order };
    return session.catalogue;
  });
}

/** The catalogue, or null when it could not be read (figures are then shown by key). */
export function catalogueOrNone(): Promise<IndexedCatalogue | null> {
  return loadCatalogue().catch(() => null);
}

/** A key's place in the catalogue (unknown keys last). */
export function orderOf(catalogue: IndexedCatalogue | null, key: string): number {
  const place = catalogue ? catalogue.order[key] : undefined;
  return place === undefined ? 1e9 : place;
}

export function keyInfo(catalogue: IndexedCatalogue | null, key: string): CatalogueKey | undefined {
  return catalogue ? catalogue.keys[key] : undefined;
}

/** A unit as the choice sends it: its full code where the API lists one (a district's units), else its code. */
const codeOf = (unit: Unit): string => unit.fullCode || unit.code;

/** The caller's units, into the upload panel's unit choice (a town's only its own; across towns named with the town). */
export function loadUnits(): Promise<readonly Unit[]> {
  return getJson<Units>('v1/units').then((u) => {
    const me = session.me;
    const own = me && me.org.level === 'town' ? me.org.code : undefined;
    const listed: readonly Unit[] = u.units || [];
    const units = listed.filter((unit) => !own || !unit.town || unit.town === own);
    const towns = me ? me.towns : [];
    session.units = units;
    const choice = select('upload-unit');
    while (choice.options.length > 1) choice.remove(1);
    units.forEach((unit) => {
      const town = !own && unit.town ? towns.filter((t) => t.code === unit.town)[0] : undefined;
      choice.appendChild(el('option', { value: codeOf(unit) }, `${town ? `${town.name} ` : ''}${unit.name}（${unit.code}）`));
    });
    return units;
  });
}

/** A unit's name by its full or short code (the code itself when unknown). */
export function unitName(code: string): string {
  const me = session.me;
  if (me && me.unit === code && me.unitName) return me.unitName;
  const found = (session.units || []).filter((u) => codeOf(u) === code || u.code === code)[0];
  return found ? found.name : code;
}
