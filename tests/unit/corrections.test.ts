/**
 * The fold of a unit-month's versions and the change lists (docs/DOMAIN.md#corrections):
 * what a statement sets, clears and leaves alone, and how a total follows its categories.
 */
import { describe, expect, it } from 'vitest';
import { changesBetween, foldAll, foldStatement, unchangedCount } from '../../shared/corrections.ts';
import { changeText } from '../../shared/corrections-text.ts';

describe('foldStatement', () => {
  it('sets what is stated, clears what is cleared and leaves the rest unchanged', () => {
    // Prepare
    const before = { general_hazards_found: 8, legal_trainings: 2, petitions_received: 3 };
    // Act
    const after = foldStatement(before, { values: { general_hazards_found: 10 }, cleared: ['petitions_received'] });
    // Assess
    expect(after).toEqual({ general_hazards_found: 10, legal_trainings: 2 });
  });

  it('lets a total that was its categories’ sum follow a category given alone', () => {
    // Prepare
    const before = { disputes_resolved: 5, 'disputes_resolved.labor': 2, 'disputes_resolved.family': 3 };
    // Act: the reader fills the total from the one category it was given (implied)
    const after = foldStatement(before, {
      values: { 'disputes_resolved.labor': 4, disputes_resolved: 4 },
      implied: ['disputes_resolved'],
    });
    // Assess
    expect(after).toEqual({ disputes_resolved: 7, 'disputes_resolved.labor': 4, 'disputes_resolved.family': 3 });
  });

  it('moves a total given without its breakdown by the change of a category given later', () => {
    // Prepare: 10 disputes, 2 of them broken down as labour
    const before = { disputes_resolved: 10, 'disputes_resolved.labor': 2 };
    // Act
    const after = foldStatement(before, { values: { 'disputes_resolved.labor': 3, disputes_resolved: 3 }, implied: ['disputes_resolved'] });
    // Assess
    expect(after).toEqual({ disputes_resolved: 11, 'disputes_resolved.labor': 3 });
  });

  it('clears a derived total with the last of its categories', () => {
    // Prepare
    const before = { disputes_resolved: 2, 'disputes_resolved.labor': 2 };
    // Act
    const after = foldStatement(before, { values: {}, cleared: ['disputes_resolved.labor'] });
    // Assess
    expect(after).toEqual({});
  });

  it('keeps a total the statement states, even beside categories', () => {
    // Act
    const after = foldStatement({ disputes_resolved: 2, 'disputes_resolved.labor': 2 }, { values: { disputes_resolved: 9 } });
    // Assess
    expect(after).toEqual({ disputes_resolved: 9, 'disputes_resolved.labor': 2 });
  });

  it('folds versions in the order given, money exact to the cent', () => {
    // Act
    const month = foldAll([
      { values: { veteran_aid_yuan: 100.1, legal_literates: 30 } },
      { values: { veteran_aid_yuan: 0.2 } },
      { values: {}, cleared: ['legal_literates'] },
    ]);
    // Assess
    expect(month).toEqual({ veteran_aid_yuan: 0.2 });
  });
});

describe('changesBetween', () => {
  it('lists every changed key in catalogue order, null for not reported', () => {
    // Act
    const changes = changesBetween({ general_hazards_found: 8, legal_literates: 4 }, { general_hazards_found: 10, legal_trainings: 1 });
    // Assess
    expect(changes).toEqual([
      { key: 'legal_literates', from: 4, to: null },
      { key: 'legal_trainings', from: null, to: 1 },
      { key: 'general_hazards_found', from: 8, to: 10 },
    ]);
    expect(unchangedCount({ general_hazards_found: 10, legal_trainings: 1, petitions_received: 2 }, changes)).toBe(1);
  });
});

describe('changeText', () => {
  it('says what a correction changed and how many values it left, with 未报 for not reported', () => {
    // Act
    const text = changeText(
      2,
      [
        { key: 'general_hazards_found', from: 8, to: 10 },
        { key: 'legal_trainings', from: 2, to: null },
      ],
      41,
    );
    // Assess
    expect(text).toBe('更正：排查一般隐患 8 → 10；法律明白人和人民调解员培训 2 → 未报；其余 41 项不变');
  });

  it('says 首次报送 for a month’s first version and “no change” for a file that repeats the month', () => {
    // Act / Assess
    expect(changeText(1, [{ key: 'general_hazards_found', from: null, to: 3 }], 0)).toBe('首次报送（填报 1 项）');
    expect(changeText(3, [], 42)).toBe('与现行数据相同，没有变化（42 项不变）');
  });
});
