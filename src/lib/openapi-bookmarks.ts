/**
 * The read-your-writes bookmark in the OpenAPI document: one reusable request
 * parameter and one response header, attached to every operation that
 * touches D1. A route that never does says so in its definition
 * (`...withoutD1`: the photos, ping and the root index).
 */
type Doc = {
  paths?: Record<
    string,
    Record<
      string,
      { parameters?: unknown[]; security?: unknown[]; responses?: Record<string, { headers?: Record<string, unknown> }> }
    >
  >;
  components?: Record<string, Record<string, unknown>>;
};

const NO_D1 = 'x-without-d1';

/** Spread into a route definition whose handler reads and writes no D1: its operation carries no bookmark. */
export const withoutD1 = { [NO_D1]: true } as const;

export function withBookmarks<T>(document: T): T {
  const doc = document as Doc;
  doc.components ??= {};
  doc.components.parameters = {
    ...doc.components.parameters,
    D1Bookmark: {
      name: 'X-D1-Bookmark',
      in: 'header',
      required: false,
      description:
        'The bookmark of an earlier response: this request reads data at least that new (read-your-writes across ' +
        'replicas). Browsers on the same origin need not send it: the cake_d1_bookmark cookie does the same. ' +
        'A malformed or unknown bookmark is ignored.',
      schema: { type: 'string' },
    },
  };
  doc.components.headers = {
    ...doc.components.headers,
    D1Bookmark: {
      description: 'The database state this response saw; send it back in X-D1-Bookmark to read at least that state.',
      schema: { type: 'string' },
    },
  };
  for (const item of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(item) as (Doc['paths'] & {})[string][string][]) {
      // The declaration is read here, not published.
      if ((operation as Record<string, unknown>)[NO_D1]) {
        delete (operation as Record<string, unknown>)[NO_D1];
        continue;
      }
      operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/D1Bookmark' }];
      for (const response of Object.values(operation.responses ?? {})) {
        response.headers = { ...response.headers, 'X-D1-Bookmark': { $ref: '#/components/headers/D1Bookmark' } };
      }
    }
  }
  return document;
}

/** Operations that declare no security are public: say so (`security: []`), as linters and generated clients expect. */
export function withPublicOperations<T>(document: T): T {
  for (const item of Object.values((document as Doc).paths ?? {})) {
    for (const operation of Object.values(item)) operation.security ??= [];
  }
  return document;
}
