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

/** The caller's units, into the upload panel's unit choice (by full code; across towns named with the town). */
export function loadUnits(): Promise<readonly Unit[]> {
  return getJson<Units>('v1/units').then((u) => {
    session.units = u.units;
    const townNames = u.towns.length > 1 ? new Map(u.towns.map((t) => [t.code, `${t.name} `])) : new Map<string, string>();
    const choice = select('upload-unit');
    while (choice.options.length > 1) choice.remove(1);
    u.units.forEach((unit) => {
      choice.appendChild(el('option', { value: unit.fullCode }, `${townNames.get(unit.town) || ''}${unit.name}（${unit.code}）`));
    });
    return u.units;
  });
}

/** A unit's name by its full or short code (the code itself when unknown). */
export function unitName(code: string): string {
  const me = session.me;
  if (me && me.unit === code && me.unitName) return me.unitName;
  const found = (session.units || []).filter((u) => u.fullCode === code || u.code === code)[0];
  return found ? found.name : code;
}

/** A key's label from the catalogue read this session (the key itself when unknown or unread). */
export function labelOf(key: string): string {
  const info = keyInfo(session.catalogue, key);
  return info ? info.label : key;
}
