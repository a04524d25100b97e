/**
 * The OpenAPI document as tools read it: Spectral's `oas` ruleset finds no error (and only
 * the warnings chosen to be accepted), and Ajv 2020 in strict mode compiles every component
 * schema — a client's code generator or validator takes it as it is.
 */
import { type RulesetDefinition, Spectral } from '@stoplight/spectral-core';
import { oas } from '@stoplight/spectral-rulesets';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { ROUTES } from '../../shared/api/routes.ts';
import { documentAjv, type OpenApi } from '../support/openapi-ajv.ts';

const document = openApiDocument(ROUTES) as OpenApi;

/**
 * Warnings accepted: no contact in `info` (the deployment's administrator is the contact),
 * and an operation's `summary` says what it does (no separate `description`, no tags: the
 * paths group the routes).
 */
const ACCEPTED = { 'info-contact': 1, 'operation-description': ROUTES.length, 'operation-tags': ROUTES.length };

describe('the OpenAPI document under Spectral (oas ruleset)', () => {
  it('has no error, and only the accepted warnings', async () => {
    // Prepare
    const spectral = new Spectral();
    spectral.setRuleset(oas as RulesetDefinition);

    // Act
    const results = await spectral.run(JSON.parse(JSON.stringify(document)) as Record<string, unknown>);

    // Assess
    const errors = results.filter((r) => r.severity === 0).map((r) => `${r.code} ${r.path.join('.')}: ${r.message}`);
    expect(errors).toEqual([]);
    const warnings: Record<string, number> = {};
    for (const r of results.filter((r) => r.severity === 1)) warnings[String(r.code)] = (warnings[String(r.code)] ?? 0) + 1;
    expect(warnings).toEqual(ACCEPTED);
  });
});

describe('the OpenAPI document under Ajv 2020 (strict)', () => {
  it('compiles every component schema, its $refs resolved in the document', () => {
    // Prepare
    const { validator } = documentAjv(document);
    const ids = Object.keys(document.components.schemas);

    // Act
    const failures = ids.flatMap((id) => {
      try {
        validator(['components', 'schemas', id]);
        return [];
      } catch (error) {
        return [`${id}: ${(error as Error).message}`];
      }
    });

    // Assess
    expect(ids.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });

  it('gives no component schema an $id (a `#/components/schemas/X` is a $ref, not an $id) nor its own $schema', () => {
    // Act
    const named = Object.entries(document.components.schemas).filter(([, schema]) => '$id' in schema || '$schema' in schema);

    // Assess
    expect(named.map(([id]) => id)).toEqual([]);
  });
});
