/**
 * JSON edits that know the shape of a cunbao record: nesting deep and past the limit,
 * keys written twice (or a thousand times), odd numbers and odd digits, huge strings,
 * values of the wrong type, members dropped.
 */
import type { Random } from '../random.ts';
import { longRun, type Mutator, ODD_DIGITS, onText, repeated, replaceOne } from './mutator.ts';

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const SCALAR = `(?:${STRING}|-?[0-9][0-9.eE+-]*|true|false|null)`;
const MEMBER = new RegExp(String.raw`${STRING}\s*:\s*${SCALAR}`, 'g');
const VALUE = new RegExp(String.raw`(?<=:\s*)${SCALAR}`, 'g');
const NUMBER = /(?<=[:[,]\s*)-?[0-9][0-9.eE+-]*/g;
const STRING_VALUE = new RegExp(String.raw`(?<=:\s*)${STRING}`, 'g');

const ODD_NUMBERS = [
  '1e309',
  '-1e309',
  '-0',
  '1e2',
  '1E+2',
  '1.5e0',
  '15e-1',
  '0.1e1',
  '1e-400',
  '9999999999999.0',
  '9007199254740',
  '9007199254740.5',
  '9007199254741',
  '123456789012345678901234567890',
  `1e${'9'.repeat(12)}`,
  `0.${'0'.repeat(400)}1`,
  '00',
  '01',
  '-',
  '1.',
  '.5',
  '+1',
  'NaN',
  'Infinity',
  '0x10',
  '"1²"',
  '"①"',
  '"㊿"',
  '"𝟓"',
  '"９"',
  '"1,000"',
  '"1，000"',
  '"9999999999999.0"',
  '"1e2"',
  '""',
  '"  "',
];

function depth(random: Random): number {
  return random.pick([1, 2, 3, 63, 64, 65, 100, 5000, random.size(200_000)]);
}

export const JSON_MUTATORS: readonly Mutator[] = [
  onText('json.nest', ['json'], (text, r) =>
    replaceOne(text, VALUE, r, (v) => {
      const d = depth(r);
      const [open, close] = r.chance(0.8) ? ['[', ']'] : ['{"a":', '}'];
      return repeated(open, d) + v + (r.chance(0.9) ? repeated(close, d) : '');
    }),
  ),
  onText('json.duplicate-key', ['json'], (text, r) =>
    replaceOne(text, MEMBER, r, (member) => {
      const copies = r.chance(0.8) ? 1 : r.size(100_000);
      const again = r.chance(0.5) ? member : member.replace(new RegExp(`${SCALAR}$`), r.pick(ODD_NUMBERS));
      return member + repeated(`,${again}`, copies);
    }),
  ),
  onText('json.odd-number', ['json'], (text, r) => replaceOne(text, NUMBER, r, () => r.pick(ODD_NUMBERS))),
  onText('json.odd-digit', ['json'], (text, r) => replaceOne(text, /[0-9]/g, r, () => r.pick(ODD_DIGITS))),
  onText('json.huge-string', ['json'], (text, r) => replaceOne(text, STRING_VALUE, r, () => JSON.stringify(longRun(r, r.size(2 << 20))))),
  onText('json.wrong-type', ['json'], (text, r) =>
    replaceOne(text, VALUE, r, () => r.pick(['[]', '{}', 'true', 'null', '""', '[1]', '{"labor":1}'])),
  ),
  onText('json.drop-member', ['json'], (text, r) => replaceOne(text, new RegExp(`${MEMBER.source},?`, 'g'), r, () => '')),
  onText('json.many-records', ['json'], (text, r) => {
    const body = text.trim();
    const record = body.startsWith('[') ? body.slice(1, -1) : body;
    return `[${repeated(record, r.size(5000) + 1, ',')}]`;
  }),
];
