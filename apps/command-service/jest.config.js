const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'command-service', rootDir: __dirname };
