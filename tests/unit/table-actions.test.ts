/**
 * The functions' DynamoDB permissions are exactly what their code can send: for each
 * handler, the DynamoDB commands its modules import (statically or with `import()`,
 * transitively; type-only imports carry no code) map onto IAM actions, and those are the
 * wiring's `access.table` — the list infra/cdk writes the role's policy from. A new command
 * in an adapter fails here until the wiring grants it; an action no code sends fails too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WIRING, type FunctionName } from '../../infra/wiring.ts';
import { importsOf } from '../support/imports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DYNAMODB = '@aws-sdk/client-dynamodb';

/** The IAM actions a command needs (a transaction is authorized item by item: our items put, update and check). */
const ACTIONS_OF: Readonly<Record<string, readonly string[]>> = {
  GetItemCommand: ['GetItem'],
  BatchGetItemCommand: ['BatchGetItem'],
  QueryCommand: ['Query'],
  PutItemCommand: ['PutItem'],
  UpdateItemCommand: ['UpdateItem'],
  TransactWriteItemsCommand: ['PutItem', 'UpdateItem', 'ConditionCheckItem'],
};

const typeOnly = (source: string, specifier: string) =>
  new RegExp(`(import|export)\\s+type\\s[^;]*?from\\s+['"]${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).test(source);

/** The DynamoDB commands a handler's code can send: every module it reaches, `import()` included. */
function commandsOf(entry: string): Set<string> {
  const files = new Set<string>();
  const commands = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(join(ROOT, file), 'utf8');
    for (const imp of importsOf(file, source)) {
      if (typeOnly(source, imp.specifier)) continue;
      if (imp.target === DYNAMODB) for (const name of imp.names) if (name.endsWith('Command')) commands.add(name);
      if (imp.target.endsWith('.ts') && existsSync(join(ROOT, imp.target))) visit(imp.target);
    }
  };
  visit(entry);
  return commands;
}

describe('the functions’ table permissions', () => {
  for (const name of Object.keys(WIRING) as FunctionName[]) {
    it(`grants ${name} exactly the actions its code can send`, () => {
      // Act
      const commands = [...commandsOf(WIRING[name].entry)];
      const unknown = commands.filter((c) => !ACTIONS_OF[c]);
      const needed = new Set(commands.flatMap((c) => ACTIONS_OF[c] ?? []));

      // Assess
      expect(unknown).toEqual([]);
      expect([...WIRING[name].access.table].sort()).toEqual([...needed].sort());
    });
  }

  it('finds the commands of a planted import, and none of a type-only one', () => {
    const source = "import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';";
    expect(importsOf('shared/x.ts', source).flatMap((i) => i.names)).toContain('GetItemCommand');
    expect(typeOnly("import type { QueryCommand } from '@aws-sdk/client-dynamodb';", DYNAMODB)).toBe(true);
  });
});
