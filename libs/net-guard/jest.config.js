const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'net-guard', rootDir: __dirname };
