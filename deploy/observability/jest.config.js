const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'deploy-observability', rootDir: __dirname };
