const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'kafka', rootDir: __dirname };
