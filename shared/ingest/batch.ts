/**
 * A batch of objects (one queue delivery): checked side by side, and the one-month files
 * among them written together, in as few transactions as the ledger allows.
 *
 * Why: a file's writes are one transaction of about nine items, and on DynamoDB a request's
 * round trip costs about as much as the items it writes; files of different units share
 * most of their items' cost (the rollup shards) and none of their conditions. Written
 * together, ten files cost one request instead of ten, and their intents one read instead
 * of ten. Every decision is still the single file's (steps 1–5 and its plan, on its own
 * reads, conditional on them): a transaction whose condition fails writes none of its files,
 * and each of them is then applied alone, as `ingestObject` would, deciding again.
 */
import { parseObjectKey } from '../layout.ts';
import type { FinishingChange } from '../ports/ledger.ts';
import {
  acceptedOutcome,
  acceptedResult,
  applyChecked,
  changeOutcome,
  checkObject,
  type Checked,
  type CheckedFile,
  ingestObject,
  type IngestDeps,
  type IngestResult,
  type ObjectCreated,
  plannedIn,
  rollupsOf,
} from './ingest.ts';
import { plan } from './plan.ts';

/** One object's answer in a batch: its result, or the error that stopped it (its message is retried). */
export type BatchAnswer = { readonly result: IngestResult } | { readonly error: unknown };

/** Ingests objects as `ingestObject` does each, answering in their order. */
export async function ingestBatch(objects: readonly ObjectCreated[], deps: IngestDeps): Promise<BatchAnswer[]> {
  // One object alone has nothing to share.
  if (objects.length === 1) return [await settle(() => ingestObject(objects[0]!, deps))];
  const answers: BatchAnswer[] = new Array(objects.length);
  // An upload's second object in the batch waits for its first: it is decided on what that one did.
  const firsts: number[] = [];
  const again: number[] = [];
  const ids = new Set<string>();
  for (const [i, object] of objects.entries()) {
    const id = parseObjectKey(object.key)?.uploadId;
    if (id !== undefined && ids.has(id)) again.push(i);
    else firsts.push(i);
    if (id !== undefined) ids.add(id);
  }
  const intents = deps.ledger.getUploads([...ids]);
  intents.catch(() => undefined);
  const readUpload = async (id: string) => (await intents).get(id);
  const checks = await Promise.allSettled(firsts.map((i) => checkObject(objects[i]!, deps, readUpload)));

  const files: { index: number; file: CheckedFile }[] = [];
  for (const [k, settled] of checks.entries()) {
    const index = firsts[k]!;
    if (settled.status === 'rejected') answers[index] = { error: settled.reason };
    else if (isFile(settled.value)) files.push({ index, file: settled.value.file });
    else answers[index] = { result: settled.value.result };
  }
  const together = files.map(({ file }) => finishingChange(file, deps));
  const candidates = files.flatMap((f, k) => (together[k] ? [{ ...f, finishing: together[k] }] : []));
  const written = candidates.length > 1 ? await deps.ledger.applyTogether(candidates.map((c) => c.finishing)) : [];
  for (const [k, { index, file }] of candidates.entries()) if (written[k]) answers[index] = { result: acceptedResult(file) };
  // The rest one by one, as alone: files of several months, and those not written together.
  for (const { index, file } of files) if (!answers[index]) answers[index] = await settle(() => applyChecked(file, deps));
  for (const i of again) answers[i] = await settle(() => ingestObject(objects[i]!, deps));
  return answers;
}

const isFile = (checked: Checked): checked is { readonly file: CheckedFile } => 'file' in checked;

/** A one-month file's change and the record that finishes its upload, when its plan is a plain change. */
function finishingChange(file: CheckedFile, deps: IngestDeps): FinishingChange | undefined {
  const [submission, ...more] = file.check.submissions;
  const state = submission && file.states.get(submission.unit);
  if (!submission || more.length || !state) return undefined;
  const planned = plannedIn(file, submission, deps);
  const decided = plan(state, planned, rollupsOf(submission, deps));
  if (decided.kind !== 'change') return undefined;
  return { change: decided.change, outcome: acceptedOutcome(file, deps, [], [changeOutcome(planned, decided.change)]) };
}

async function settle(run: () => Promise<IngestResult>): Promise<BatchAnswer> {
  try {
    return { result: await run() };
  } catch (error) {
    return { error };
  }
}
