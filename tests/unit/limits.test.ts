import { describe, expect, it } from 'vitest';
import { bytesText, DEFAULT_MAX_BYTES } from '../../shared/limits.ts';

describe('bytesText', () => {
  it('says a size in MB, KB or bytes, to a tenth', () => {
    // Assess
    expect(bytesText(DEFAULT_MAX_BYTES)).toBe('5 MB');
    expect(bytesText(DEFAULT_MAX_BYTES + 1024 * 1024 * 1.25)).toBe('6.3 MB');
    expect(bytesText(12_800)).toBe('12.5 KB');
    expect(bytesText(800)).toBe('800 字节');
  });
});
