'use strict';
// Programs some tests run that npm cannot install: promtool (the alert rules' checks) and Chromium (the portal's
// browser test). `npm test` installs them from Debian's packages when they are missing and it may (root, apt-get), as
// on a fresh CI machine; otherwise it stops with one line saying what to install.

const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { SetupError } = require('./setup-error');

const TOOLS = [
  { name: 'promtool', paths: ['/usr/bin/promtool', '/usr/local/bin/promtool'], envVar: 'PROMTOOL', debianPackage: 'prometheus' },
  { name: 'Chromium', paths: ['/usr/bin/chromium'], envVar: 'CHROMIUM_PATH', debianPackage: 'chromium' },
];

const found = (tool) => [process.env[tool.envVar], ...tool.paths].find((p) => p && fs.existsSync(p));

function canInstall() {
  return process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

function aptInstall(packages, log) {
  log(`installing ${packages.join(', ')} from Debian's packages (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // The package lists of a fresh machine may be missing or stale: a failed install is tried once more after an update.
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { env, stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
  if (install()) return;
  spawnSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!install()) throw new SetupError(`could not install ${packages.join(', ')} with apt-get; install them yourself and run the tests again`);
}

/** Makes sure every tool is there; returns the environment variables that point the tests at them. */
function ensureSystemTools({ log }) {
  const missing = TOOLS.filter((tool) => !found(tool));
  if (missing.length) {
    if (!canInstall()) {
      throw new SetupError(`${missing.map((t) => t.name).join(' and ')} not found: install Debian's ${missing.map((t) => t.debianPackage).join(' and ')} ` +
        `package (apt-get install ${missing.map((t) => t.debianPackage).join(' ')}), or point ${missing.map((t) => t.envVar).join('/')} at the program`);
    }
    aptInstall(missing.map((t) => t.debianPackage), log);
    const still = TOOLS.filter((tool) => !found(tool));
    if (still.length) throw new SetupError(`${still.map((t) => t.name).join(' and ')} still not found after installing; set ${still.map((t) => t.envVar).join('/')}`);
  }
  return Object.fromEntries(TOOLS.map((tool) => [tool.envVar, found(tool)]));
}

module.exports = { ensureSystemTools };
