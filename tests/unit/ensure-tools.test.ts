/**
 * scripts/ensure-tools.sh decides what to install from what it finds: here on a PATH of
 * our own, where `java`, `id` and `apt-get` are small fakes (apt-get records its calls and
 * "installs" by creating the fakes), and CHROMIUM_PATH names a file in a temp dir. Nothing
 * on the machine is installed or removed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/ensure-tools.sh', import.meta.url));

interface Machine {
  readonly bin: string;
  readonly chromium: string;
  readonly aptLog: string;
  readonly fonts: string;
  readonly writer: string;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function executable(path: string, body: string): void {
  writeFileSync(path, `#!/bin/bash\n${body}\n`);
  chmodSync(path, 0o755);
}

/** A machine with or without Java and Chromium, run as root or not. */
function machine(has: { java: boolean; chromium: boolean; root: boolean; apt?: boolean; office?: boolean; fonts?: boolean }): Machine {
  const dir = mkdtempSync(join(tmpdir(), 'cunbao-tools-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  const chromium = join(dir, 'chromium');
  const aptLog = join(dir, 'apt.log');
  const fonts = join(dir, 'fonts');
  const writer = join(dir, 'libswlo.so');
  mkdirSync(bin);
  // LibreOffice (soffice) and a python3 with openpyxl; the CJK fonts' directory.
  const fakeOffice = `for t in soffice python3; do printf '#!/bin/bash\\nexit 0\\n' > ${bin}/$t; /bin/chmod +x ${bin}/$t; done`;
  const fakeWriter = `printf '' > ${writer}`;
  if (has.office ?? true) {
    for (const tool of ['soffice', 'python3']) executable(join(bin, tool), 'exit 0');
    writeFileSync(writer, '');
  }
  if (has.fonts ?? true) mkdirSync(fonts);
  const fakeJava = `printf '#!/bin/bash\\nexit 0\\n' > ${bin}/java; /bin/chmod +x ${bin}/java`;
  if (has.java) executable(join(bin, 'java'), 'exit 0');
  if (has.chromium) executable(chromium, 'exit 0');
  executable(join(bin, 'id'), `echo ${has.root ? 0 : 1000}`);
  if (has.apt ?? true) {
    executable(
      join(bin, 'apt-get'),
      [
        `echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND apt-get $*" >> ${aptLog}`,
        `if [ "$1" = install ]; then`,
        `  for p in "$@"; do case $p in openjdk-17-jre-headless) ${fakeJava};; chromium) printf '#!/bin/bash\\n' > ${chromium}; /bin/chmod +x ${chromium};; libreoffice-calc-nogui) ${fakeOffice};; libreoffice-writer-nogui) ${fakeWriter};; fonts-noto-cjk) /bin/mkdir ${fonts};; esac; done`,
        `fi`,
      ].join('\n'),
    );
  }
  return { bin, chromium, aptLog, fonts, writer };
}

function ensure(m: Machine, args: string[] = []) {
  const run = spawnSync('/bin/bash', [SCRIPT, ...args], {
    env: { PATH: m.bin, CHROMIUM_PATH: m.chromium, CUNBAO_FONTS_DIR: m.fonts, CUNBAO_WRITER_LIB: m.writer },
    encoding: 'utf8',
  });
  return { code: run.status, stderr: run.stderr, apt: existsSync(m.aptLog) ? readFileSync(m.aptLog, 'utf8').trim().split('\n') : [] };
}

describe('scripts/ensure-tools.sh', () => {
  it('does nothing when Java and Chromium are there', () => {
    // Prepare
    const m = machine({ java: true, chromium: true, root: true });

    // Act
    const run = ensure(m);

    // Assess
    expect(run).toEqual({ code: 0, stderr: '', apt: [] });
  });

  it('as root, installs what is absent through apt (update, then install without recommends, non-interactive)', () => {
    // Prepare
    const m = machine({ java: false, chromium: false, root: true });

    // Act
    const run = ensure(m);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.apt).toEqual([
      'DEBIAN_FRONTEND=noninteractive apt-get update -qq',
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless chromium',
    ]);
    expect(run.stderr).toContain('installing openjdk-17-jre-headless chromium');
  });

  it('installs LibreOffice Calc and Writer with openpyxl (three packages) and the CJK fonts when absent', () => {
    // Prepare
    const m = machine({ java: true, chromium: true, root: true, office: false, fonts: false });

    // Act
    const run = ensure(m);
    const again = ensure(m);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.apt.at(-1)).toBe(
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui python3-openpyxl fonts-noto-cjk',
    );
    expect(again.apt).toEqual(run.apt);
  });

  it('installs only what is absent, and only the tools asked for (npm start: java)', () => {
    // Prepare
    const m = machine({ java: true, chromium: false, root: true });
    const n = machine({ java: false, chromium: false, root: true });

    // Act
    const chromiumOnly = ensure(m);
    const javaOnly = ensure(n, ['java']);

    // Assess
    expect(chromiumOnly.apt.at(-1)).toBe('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium');
    expect(javaOnly.apt.at(-1)).toBe(
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless',
    );
  });

  it('not as root: one line saying exactly what to install, and a failure, without calling apt', () => {
    // Prepare
    const m = machine({ java: false, chromium: false, root: false });

    // Act
    const run = ensure(m);

    // Assess
    expect(run.code).toBe(1);
    expect(run.apt).toEqual([]);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      '缺少 missing: openjdk-17-jre-headless chromium — 请安装 please install: sudo apt-get install -y --no-install-recommends openjdk-17-jre-headless chromium',
    ]);
  });

  it('as root on a machine without apt, says what to install, and fails', () => {
    const run = ensure(machine({ java: false, chromium: true, root: true, apt: false }));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^缺少 missing: openjdk-17-jre-headless — /);
  });

  it('fails clearly when apt installed the package but the tool is still missing', () => {
    // Prepare: apt "succeeds" without creating anything
    const m = machine({ java: true, chromium: false, root: true });
    executable(join(m.bin, 'apt-get'), 'exit 0');

    // Act
    const run = ensure(m);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('chromium was installed but chromium is still missing');
  });

  it('refuses an unknown tool as a usage error', () => {
    const run = ensure(machine({ java: true, chromium: true, root: true }), ['firefox']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown tool 'firefox'");
  });
});
