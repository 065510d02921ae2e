const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'service-kit', rootDir: __dirname };
