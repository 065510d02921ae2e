const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'testing', rootDir: __dirname };
