import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DecodedText, decodeText, PIECE_BYTES } from '../../shared/decode.ts';

const TEXT = '单位代码,月份\r\nV01,2025-03\r\n';

describe('decodeText', () => {
  it.each([
    ['utf-8', new TextEncoder().encode(TEXT)],
    ['utf-8-bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])],
    ['gb18030', iconv.encode(TEXT, 'gb18030')],
    ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])],
  ] as const)('reads %s', (encoding, bytes) => {
    // Act
    const decoded = decodeText(bytes);

    // Assess
    expect(decoded).toMatchObject({ ok: true, encoding });
    expect(decoded.ok && decoded.text.whole()).toBe(TEXT);
  });

  it('reads GBK bytes (what older Excel saves) through GB18030', () => {
    const decoded = decodeText(iconv.encode(TEXT, 'gbk'));
    expect(decoded).toMatchObject({ ok: true, encoding: 'gb18030' });
    expect(decoded.ok && decoded.text.whole()).toBe(TEXT);
  });

  it('refuses bytes that are neither UTF-8 nor GB18030', () => {
    expect(decodeText(Uint8Array.from([0x41, 0xff, 0xff, 0x42]))).toEqual({ ok: false, reason: 'encoding' });
  });

  it('recognises an Excel workbook saved under a .csv name', () => {
    expect(decodeText(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toEqual({ ok: false, reason: 'spreadsheet' });
    expect(decodeText(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toEqual({ ok: false, reason: 'spreadsheet' });
  });

  it('refuses text with NUL bytes as binary', () => {
    expect(decodeText(Uint8Array.from([0x41, 0x00, 0x42]))).toEqual({ ok: false, reason: 'binary' });
  });
});

describe('DecodedText', () => {
  const encoder = new TextEncoder();
  const LINES = Array.from({ length: 40 }, (_, i) => `U${String(i).padStart(4, '0')},鹅池镇,${i * 7}\r\n`).join('');

  function pieces(text: DecodedText): string[] {
    const out: string[] = [];
    for (let piece = text.next(); piece !== undefined; piece = text.next()) out.push(piece);
    return out;
  }

  it('gives pieces that end after a line feed and join to the whole text', () => {
    // Prepare
    const text = DecodedText.ofUtf8(encoder.encode(`${LINES}末行无换行`), 50);

    // Act
    const got = pieces(text);

    // Assess
    expect(got.length).toBeGreaterThan(10);
    expect(got.slice(0, -1).every((p) => p.endsWith('\n'))).toBe(true);
    expect(got.join('')).toBe(`${LINES}末行无换行`);
    expect(text.next()).toBeUndefined();
  });

  it('gives what is left as one string after some pieces', () => {
    const text = DecodedText.ofUtf8(encoder.encode(LINES), 30);
    const first = [text.next(), text.next()].join('');
    expect(first + text.rest()).toBe(LINES);
    expect(text.next()).toBeUndefined();
  });

  it('finds the first visible character after more than a piece of white space, without giving a piece', () => {
    // Prepare: 70 000 bytes of spaces and line breaks (more than PIECE_BYTES), then JSON.
    const blank = ' \r\n'.repeat(70_000 / 3);
    expect(blank.length).toBeGreaterThan(PIECE_BYTES);
    const text = DecodedText.ofUtf8(encoder.encode(`${blank}{"a":1}`));

    // Act + Assess
    expect(text.firstVisible()).toBe('{');
    expect(text.whole()).toBe(`${blank}{"a":1}`);
    expect(pieces(text).join('')).toBe(`${blank}{"a":1}`);
    expect(DecodedText.ofUtf8(encoder.encode(blank)).firstVisible()).toBeUndefined();
  });

  it('reads the head as the first line whole, however long', () => {
    const header = `${'列,'.repeat(30_000)}末列\n`;
    expect(DecodedText.ofUtf8(encoder.encode(`${header}1,2\n`)).head()).toBe(header);
  });

  it('decodes a file as GB18030 from its start when a byte late in it is not UTF-8', () => {
    // Prepare: 200 000 bytes of valid UTF-8 lines, then one GBK line (中 is D6 D0).
    const ascii = 'U0001,2024-01,3\n'.repeat(12_500);
    const bytes = Buffer.concat([Buffer.from(ascii), iconv.encode('中文,1\n', 'gbk')]);

    // Act
    const decoded = decodeText(bytes);

    // Assess
    expect(decoded).toMatchObject({ ok: true, encoding: 'gb18030' });
    expect(decoded.ok && decoded.text.whole()).toBe(`${ascii}中文,1\n`);
  });
});
