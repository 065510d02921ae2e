const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'dispatcher', rootDir: __dirname };
