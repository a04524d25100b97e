import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/notices/notice.ts';
import { markdownDoc } from '../../shared/notices/robots/markdown.ts';
import { type Budget, type Part, splitMessage } from '../../shared/notices/robots/split.ts';

const LINK = 'https://cunbao.example.cn/#/towns/EC/2025-03';
const LINK_LINE = `[打开村报页面](${LINK})`;

/** A plain measure: title and lines, one per line, in UTF-8 bytes. */
function budgetOf(limit: number): Budget {
  return { limit, measure: (part: Part) => Buffer.byteLength([part.title, ...part.lines].join('\n')) };
}

function noticeOf(sections: Notice['sections'], withLink = true): Notice {
  const notice = { id: 'remind/EC/2025-03', kind: 'remind' as const, org: 'EC', title: '鹅池镇2025年3月催报', sections };
  return withLink ? { ...notice, link: LINK } : notice;
}

function villages(count: number, prefix = '村'): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index + 1}：本月调解矛盾纠纷三起，均已办结。`);
}

/** The item lines of a part, without their `- ` marker. */
function itemsOf(part: Part): string[] {
  return part.lines.filter((line) => line.startsWith('- ')).map((line) => line.slice(2));
}

describe('splitMessage, a notice that fits', () => {
  it('returns one part, its title unlabelled and led by the keyword, the link last', () => {
    // Prepare
    const doc = markdownDoc(noticeOf([{ heading: '未报村', lines: ['上坪村', '下坪村'] }]), 'wecom');

    // Act
    const parts = splitMessage(doc, '村报', budgetOf(4096));

    // Assess
    expect(parts).toEqual([{ title: '【村报】鹅池镇2025年3月催报', lines: ['**未报村**', '- 上坪村', '- 下坪村', '', LINK_LINE] }]);
  });

  it('does not repeat a keyword the title already holds', () => {
    // Prepare
    const doc = markdownDoc(noticeOf([{ lines: ['上坪村'] }]), 'wecom');

    // Act
    const [part] = splitMessage(doc, '催报', budgetOf(4096));

    // Assess
    expect(part!.title).toBe('鹅池镇2025年3月催报');
  });
});

describe('splitMessage, a notice too long for one part', () => {
  it('cuts between lines into labelled parts, each within the budget, every line once and in order', () => {
    // Prepare
    const lines = villages(60);
    const doc = markdownDoc(noticeOf([{ heading: '各村情况', lines }]), 'wecom');

    // Act
    const parts = splitMessage(doc, '村报', budgetOf(1000));

    // Assess
    expect(parts.length).toBeGreaterThan(1);
    for (const [index, part] of parts.entries()) {
      expect(Buffer.byteLength([part.title, ...part.lines].join('\n'))).toBeLessThanOrEqual(1000);
      expect(part.title).toBe(`【村报】鹅池镇2025年3月催报（${index + 1}/${parts.length}）`);
      expect(part.lines.at(-1)).toBe(LINK_LINE);
    }
    expect(parts.flatMap(itemsOf)).toEqual(lines);
  });

  it('repeats a section heading, marked （续）, in the part its lines continue into', () => {
    // Prepare
    const doc = markdownDoc(noticeOf([{ heading: '各村情况', lines: villages(30) }]), 'wecom');

    // Act
    const parts = splitMessage(doc, undefined, budgetOf(800));

    // Assess
    expect(parts[0]!.lines[0]).toBe('**各村情况**');
    for (const part of parts.slice(1)) expect(part.lines[0]).toBe('**各村情况（续）**');
  });

  it('moves a heading to the next part rather than leave it without its lines', () => {
    // Prepare: the first section nearly fills a part, so the second heading would end it
    const first = villages(7, '甲');
    const doc = markdownDoc(
      noticeOf([
        { heading: '第一组', lines: first },
        { heading: '第二组', lines: villages(3, '乙') },
      ]),
      'wecom',
    );
    const limit = Buffer.byteLength(
      ['鹅池镇2025年3月催报（10/10）', '**第一组**', ...first.map((line) => `- ${line}`), '', '**第二组**', '', LINK_LINE].join('\n'),
    );

    // Act
    const parts = splitMessage(doc, undefined, budgetOf(limit));

    // Assess
    expect(parts[0]!.lines).not.toContain('**第二组**');
    expect(parts[1]!.lines[0]).toBe('**第二组**');
  });

  it('shortens only a line that alone exceeds a part, with … at a character boundary', () => {
    // Prepare: emoji (surrogate pairs) and a combining accent must not be cut apart
    const long = '😀e\u0301调解'.repeat(400);
    const doc = markdownDoc(noticeOf([{ heading: '说明', lines: ['上坪村', long, '下坪村'] }]), 'wecom');

    // Act
    const parts = splitMessage(doc, undefined, budgetOf(1200));

    // Assess
    const items = parts.flatMap(itemsOf);
    const shortened = items.find((line) => line.endsWith('…'))!;
    expect(items).toEqual(['上坪村', shortened, '下坪村']);
    expect(long.startsWith(shortened.slice(0, -1))).toBe(true);
    expect(shortened).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(shortened.slice(0, -1)).toMatch(/(😀|e\u0301|调|解)$/u);
    for (const part of parts) expect(Buffer.byteLength([part.title, ...part.lines].join('\n'))).toBeLessThanOrEqual(1200);
  });

  it('shortens a heading too long for a part and keeps its first line under it', () => {
    // Prepare
    const doc = markdownDoc(noticeOf([{ heading: '标'.repeat(2000), lines: ['上坪村', '下坪村'] }]), 'wecom');

    // Act
    const parts = splitMessage(doc, undefined, budgetOf(1000));

    // Assess
    expect(parts[0]!.lines[0]).toMatch(/^\*\*标+…\*\*$/);
    for (const part of parts) expect(itemsOf(part).length).toBeGreaterThan(0);
    expect(parts.flatMap(itemsOf)).toEqual(['上坪村', '下坪村']);
  });

  it('labels no part when the only change needed was shortening a line', () => {
    // Prepare
    const doc = markdownDoc(noticeOf([{ lines: ['调'.repeat(2000)] }]), 'wecom');

    // Act
    const parts = splitMessage(doc, '村报', budgetOf(1000));

    // Assess
    expect(parts).toHaveLength(1);
    expect(parts[0]!.title).toBe('【村报】鹅池镇2025年3月催报');
  });
});

describe('splitMessage, more than the parts allowed', () => {
  it('ends the last part with the count of lines left to the page, and the link', () => {
    // Prepare
    const lines = villages(300);
    const doc = markdownDoc(noticeOf([{ heading: '各村情况', lines }]), 'wecom');

    // Act
    const parts = splitMessage(doc, '村报', budgetOf(1000), 3);

    // Assess
    expect(parts).toHaveLength(3);
    const shown = parts.flatMap(itemsOf);
    expect(shown).toEqual(lines.slice(0, shown.length));
    const last = parts[2]!.lines;
    expect(last.slice(-3)).toEqual([`……（其余 ${300 - shown.length} 行见村报页面）`, '', LINK_LINE]);
    for (const part of parts) expect(Buffer.byteLength([part.title, ...part.lines].join('\n'))).toBeLessThanOrEqual(1000);
  });

  it('says the lines were left out when there is no page to show them', () => {
    // Prepare
    const doc = markdownDoc(noticeOf([{ lines: villages(100) }], false), 'wecom');

    // Act
    const parts = splitMessage(doc, undefined, budgetOf(600), 2);

    // Assess
    expect(parts[1]!.lines.at(-1)).toMatch(/^……（其余 \d+ 行未列出）$/);
  });
});

describe('splitMessage, a budget that cannot hold the title and link', () => {
  it('throws rather than send a part over the budget', () => {
    // Prepare
    const doc = markdownDoc(noticeOf([{ lines: ['上坪村'] }]), 'wecom');

    // Act
    const act = () => splitMessage(doc, undefined, budgetOf(40));

    // Assess
    expect(act).toThrow(/cannot hold the title and link/);
  });
});

describe('splitMessage, any notice and budget', () => {
  it('never returns a part over the budget, and every line is shown, shortened or counted', () => {
    // Prepare
    const line = fc.string({ unit: fc.constantFrom('村', '😀', 'a', '*', ' ', 'é', '调解'), minLength: 1, maxLength: 120 });
    const section = fc.record({ heading: fc.option(line, { nil: undefined }), lines: fc.array(line, { maxLength: 25 }) });
    const sections = fc.array(section, { minLength: 1, maxLength: 6 });

    fc.assert(
      fc.property(sections, fc.integer({ min: 300, max: 3000 }), fc.integer({ min: 1, max: 10 }), (given, limit, maxParts) => {
        // Act
        const doc = markdownDoc(noticeOf(given), 'dingtalk');
        const parts = splitMessage(doc, '村报', budgetOf(limit), maxParts);

        // Assess
        const budget = budgetOf(limit);
        expect(parts.length).toBeLessThanOrEqual(maxParts);
        for (const part of parts) {
          expect(budget.measure(part)).toBeLessThanOrEqual(limit);
          expect(part.title).toContain('村报');
        }
        const expected = doc.sections.flatMap((s) => s.lines.map((l) => l.text));
        const shown = parts.flatMap(itemsOf);
        const tail = parts.at(-1)!.lines.find((l) => l.startsWith('……（其余'));
        const counted = tail === undefined ? 0 : Number(/其余 (\d+) 行/.exec(tail)![1]);
        shown.forEach((text, index) => {
          expect(text === expected[index] || (text.endsWith('…') && expected[index]!.startsWith(text.slice(0, -1)))).toBe(true);
        });
        expect(shown.length + counted).toBeGreaterThanOrEqual(expected.length);
      }),
      { numRuns: 150 },
    );
  });
});
