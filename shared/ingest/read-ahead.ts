/**
 * Reads the ingest starts before it knows it needs them, on what the object's key says: the
 * file's bytes and the key's unit's months, both fetched while the upload's intent is read.
 *
 * Why: the three reads are independent round trips, and one after another they were most
 * of a file's time (the bench's breakdown). Only reads are started early; every write stays
 * conditional on the versions read, so a read that is older than it would have been is
 * caught by the write's condition and read again, as with any concurrent writer. A read
 * whose answer is not needed (a redelivery, an object nobody announced, a file of other
 * months) is dropped: it costs a request, never a decision.
 */
import { DEFAULT_MAX_BYTES } from '../limits.ts';
import { addMonths, isMonth, type Month } from '../period.ts';
import type { Ledger, UnitState } from '../ports/ledger.ts';
import type { ObjectStore } from '../ports/objects.ts';

/** The range of a unit's months a file of `first`…`last` needs: 12 before its earliest (outliers) to the end of its latest year. */
export function monthsNeeded(first: Month, last: Month): { readonly from: Month; readonly toYear: string } {
  return { from: addMonths(first, -12), toYear: last.slice(0, 4) };
}

/** A unit's months, read for one range. */
export interface EarlyState {
  readonly unit: string;
  readonly from: Month;
  readonly toYear: string;
  readonly state: Promise<UnitState>;
}

export interface ReadAhead {
  /** The object's bytes (undefined: not read ahead, read it now). */
  readonly bytes: Promise<Uint8Array | undefined> | undefined;
  readonly state: EarlyState | undefined;
}

export interface KeyedObject {
  readonly key: string;
  readonly versionId?: string;
  readonly size: number;
}

/**
 * Starts reading the object and its unit's months for a key of `unit` and `period`.
 * An object larger than any file accepted by default is not read ahead: whether to read it
 * at all is the intent's to say (its size limit), not the key's.
 */
export function readAhead(object: KeyedObject, key: { unit: string; period: string }, store: ObjectStore, ledger: Ledger): ReadAhead {
  const bytes = object.size <= DEFAULT_MAX_BYTES ? quiet(store.get(object.key, object.versionId)) : undefined;
  if (!isMonth(key.period)) return { bytes, state: undefined };
  const { from, toYear } = monthsNeeded(key.period, key.period);
  return { bytes, state: { unit: key.unit, from, toYear, state: quiet(ledger.unitState(key.unit, from, toYear)) } };
}

/** A promise whose failure is not "unhandled" if nobody awaits it; one who does still gets the error. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
