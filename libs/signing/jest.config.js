const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'signing', rootDir: __dirname };
