// Preloaded into a service (NODE_OPTIONS=--require …) when the benchmark runs with --cpu-prof: the first SIGUSR2
// starts V8's sampling profiler, the second stops it and writes $HOOKLINE_CPU_PROFILE (a .cpuprofile file), so
// the profile covers exactly the benchmark's load phases. (node refuses --cpu-prof itself in NODE_OPTIONS.)
'use strict';

const inspector = require('node:inspector');
const fs = require('node:fs');

const target = process.env.HOOKLINE_CPU_PROFILE;
if (target) {
  const session = new inspector.Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => {
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start'));
      });
      return;
    }
    running = false;
    session.post('Profiler.stop', (err, result) => {
      if (!err) fs.writeFileSync(target, JSON.stringify(result.profile));
    });
  });
}
