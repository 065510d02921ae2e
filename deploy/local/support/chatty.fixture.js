// Started by services.spec.ts in place of a service: writes far more than a pipe holds (64 KiB on Linux), as a service
// logging a broker outage does, then a last line, and exits. Writes to a pipe are synchronous here, so it only gets to
// exit if whoever started it reads the pipe.
'use strict';

const line = `${'x'.repeat(1023)}\n`;
for (let i = 0; i < 1024; i++) process.stdout.write(line);
process.stdout.write('the last line\n');
