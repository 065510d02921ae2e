const preset = require('../../jest.preset');

module.exports = { ...preset, displayName: 'query-service', rootDir: __dirname, setupFilesAfterEnv: ['<rootDir>/jest.setup.js'] };
