const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'observability', rootDir: __dirname };
