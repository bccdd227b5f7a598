/**
 * The docs page: Swagger UI (the swagger-ui-dist package) rendering
 * /api/openapi.json. Every file it loads comes from this Worker, so the page
 * works offline and trusts no third party; the start-up script is a file too,
 * not inline, so the CSP names nothing but 'self'.
 */
export const DOCS_PATH = '/api/docs';
export const ASSETS_PATH = `${DOCS_PATH}/assets/`;

/** Only 'self' (and 'none' where nothing is needed): no CDN, no inline script or style, no eval. */
export const DOCS_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cake Planner API</title>
<link rel="icon" type="image/png" href="${ASSETS_PATH}favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS_PATH}index.css">
<link rel="stylesheet" href="${ASSETS_PATH}swagger-ui.css">
</head>
<body>
<noscript>This page needs JavaScript. The API document itself is at <a href="/api/openapi.json">/api/openapi.json</a>.</noscript>
<div id="swagger-ui"></div>
<script src="${ASSETS_PATH}swagger-ui-bundle.js"></script>
<script src="${ASSETS_PATH}docs.js"></script>
</body>
</html>
`;

/**
 * Starts the renderer. A token returned by signing in from the page (login,
 * change-password, 2FA activation) authorizes every later "Try it out", as if
 * pasted into "Authorize"; the authorization survives a reload.
 */
export const DOCS_SCRIPT = `'use strict';
const TOKEN_ISSUERS = /\\/api\\/(login|auth\\/login|auth\\/2fa\\/activate|user\\/change-password)$/;
const ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  // The default would show a badge from a public validator: nothing leaves this origin.
  validatorUrl: null,
  responseInterceptor: (response) => {
    try {
      const path = new URL(response.url, location.href).pathname;
      const token = response.ok && response.body && response.body.token;
      if (TOKEN_ISSUERS.test(path) && typeof token === 'string') ui.preauthorizeApiKey('bearerAuth', token);
    } catch (error) {
      console.warn('docs: could not take the token over', error);
    }
    return response;
  },
});
`;

/** The renderer's files the page loads, by name in the package; nothing else of it is reachable. */
export const RENDERER_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};
