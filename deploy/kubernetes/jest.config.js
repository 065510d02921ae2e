const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'deploy-kubernetes', rootDir: __dirname };
