// One jest run over every project (npm test runs it with two workers or more: deploy/local/test.js); `nx test <project>` runs a single project.
const fs = require('node:fs');
const path = require('node:path');

const projects = [];
for (const group of ['apps', 'libs', 'bench', 'deploy']) {
  const groupDir = path.join(__dirname, group);
  if (!fs.existsSync(groupDir)) continue;
  if (fs.existsSync(path.join(groupDir, 'jest.config.js'))) projects.push(groupDir);
  for (const name of fs.readdirSync(groupDir)) {
    if (fs.existsSync(path.join(groupDir, name, 'jest.config.js'))) projects.push(path.join(groupDir, name));
  }
}

module.exports = { projects };
