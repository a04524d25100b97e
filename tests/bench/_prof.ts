import { wideFile } from './parse.ts';
import { checkFile } from '../../shared/check.ts';
const { bytes, registry } = wideFile();
const context = { registry, uploader: { role: 'admin' } as const, now: new Date('2025-01-10T00:00:00+08:00'), maxBytes: 64 * 1024 * 1024 };
for (let i = 0; i < 10; i++) checkFile(bytes, context);
