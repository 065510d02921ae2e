// Started by services.spec.ts in place of a service: prints the size V8 gave its young generation (one semi-space)
// at start, before anything was allocated, so the size comes from the flags alone, and the V8 flags it was given.
'use strict';

const v8 = require('node:v8');

const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
process.stdout.write(`${JSON.stringify({ youngGenerationMiB: newSpace.space_size / (1024 * 1024), execArgv: process.execArgv })}\n`);
