const preset = require('../jest.preset');

module.exports = { ...preset, displayName: 'bench', rootDir: __dirname, testPathIgnorePatterns: [...preset.testPathIgnorePatterns, '/results/'] };
