'use strict';

/**
 * A problem the user can fix (missing tool, port taken, bad setting, service down). Its message already says what to
 * do, so the scripts print only the message: a stack trace would bury the advice.
 */
class SetupError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SetupError';
  }
}

module.exports = { SetupError };
