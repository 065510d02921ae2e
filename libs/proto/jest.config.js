const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'proto', rootDir: __dirname };
