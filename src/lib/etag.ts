/** Whether an If-None-Match header names `etag` (quoted; a weak `W/` tag compares equal, as RFC 9110 allows for GET). */
export const ifNoneMatchIncludes = (header: string | null | undefined, etag: string) =>
  !!header && header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
