/**
 * The OpenAPI document's schemas in Ajv (JSON Schema 2020-12, strict): any schema of the
 * document by its JSON pointer, so that its `$ref`s to `#/components/schemas/X` resolve
 * against the document as a client's validator resolves them.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

const BASE = 'https://cunbao.invalid/openapi.json';

export interface OpenApi {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { readonly schemas: Record<string, object> };
}

export interface Operation {
  readonly operationId: string;
  readonly responses: Record<string, Response>;
}

export interface Response {
  /** A response shared in components.responses. */
  readonly $ref?: string;
  readonly headers?: Record<string, { readonly required?: boolean; readonly schema?: object; readonly $ref?: string }>;
  readonly content?: Record<string, Media>;
}

export interface Media {
  readonly schema: object;
  readonly example?: unknown;
  readonly examples?: Record<string, { readonly value: unknown }>;
}

const pointerPart = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

/** A validator per JSON pointer into the document (`/components/schemas/Me`), compiled once. */
export function documentAjv(document: OpenApi): { validator(pointer: readonly string[]): ValidateFunction; ajv: Ajv2020 } {
  // Union types (`type: ['number', 'string', 'null']`) are 2020-12's own: allowed, the rest strict.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  formats.default(ajv);
  // The document's two parts that hold schemas, as keywords of a schema that carries them.
  ajv.addKeyword('components').addKeyword('paths');
  ajv.addSchema({ $id: BASE, components: document.components, paths: document.paths });
  const compiled = new Map<string, ValidateFunction>();
  return {
    ajv,
    validator(pointer) {
      const ref = `${BASE}#/${pointer.map(pointerPart).join('/')}`;
      const known = compiled.get(ref) ?? ajv.compile({ $ref: ref });
      compiled.set(ref, known);
      return known;
    },
  };
}
