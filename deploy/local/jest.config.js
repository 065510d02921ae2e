const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'deploy-local', rootDir: __dirname };
