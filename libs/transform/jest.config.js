const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'transform', rootDir: __dirname };
