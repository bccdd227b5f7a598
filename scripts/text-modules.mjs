// Node loads `*.txt` modules as wrangler.toml's Text rule makes them for the
// Worker: a module whose default export is the file's text (the common-password
// list, src/auth/common-passwords.txt, reached through the password policy).
// Import this before such a module is loaded: then import() the modules that
// need it (a static import is resolved before this hook is registered).
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  load(url, context, next) {
    if (!url.startsWith('file:') || !new URL(url).pathname.endsWith('.txt')) return next(url, context);
    const text = readFileSync(fileURLToPath(url), 'utf8');
    return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  },
});
