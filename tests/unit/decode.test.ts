import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../shared/decode.ts';

const TEXT = '单位代码,月份\r\nV01,2025-03\r\n';

describe('decodeText', () => {
  it.each([
    ['utf-8', new TextEncoder().encode(TEXT)],
    ['utf-8-bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])],
    ['gb18030', iconv.encode(TEXT, 'gb18030')],
    ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')])],
  ] as const)('reads %s', (encoding, bytes) => {
    expect(decodeText(bytes)).toEqual({ ok: true, text: TEXT, encoding });
  });

  it('reads GBK bytes (what older Excel saves) through GB18030', () => {
    expect(decodeText(iconv.encode(TEXT, 'gbk'))).toMatchObject({ ok: true, text: TEXT, encoding: 'gb18030' });
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
