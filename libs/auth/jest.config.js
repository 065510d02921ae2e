const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'auth', rootDir: __dirname };
