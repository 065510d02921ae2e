// Lifecycle of one local broker process: format its storage, start it in its own process group, record its PID,
// and stop it (TERM, then KILL) so no java process outlives the run that started it.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { renderServerProperties, newClusterId, brokerJavaArgs } = require('./kafka-settings');
const { SetupError } = require('./setup-error');

const STOP_GRACE_MS = 20_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last `lines` lines of a file, or '' if it does not exist (yet). */
function tailFile(file, lines = 30) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** What the broker wrote, for error messages: log4j output first, then anything the JVM printed itself. */
function brokerLogTail(settings, lines = 30) {
  const parts = [];
  const log = tailFile(settings.brokerLog, lines);
  if (log) parts.push(`--- ${settings.brokerLog} (tail) ---\n${log}`);
  const out = tailFile(settings.stdoutLog, lines);
  if (out) parts.push(`--- ${settings.stdoutLog} (tail) ---\n${out}`);
  return parts.join('\n') || '(the broker wrote no log)';
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its parent) still answers kill(0) but is gone for our purposes.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

// PIDs are reused: only signal a process whose command line shows it is the broker of this data dir.
function isOurBroker(pid, settings) {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('kafka.Kafka') && cmdline.includes(settings.propertiesFile);
  } catch {
    return isAlive(pid);
  }
}

/** PID of the live broker recorded in the data dir, or null (a stale PID file is removed). */
function runningBrokerPid(settings) {
  let pid;
  try {
    pid = Number(fs.readFileSync(settings.pidFile, 'utf8').trim());
  } catch {
    return null;
  }
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isOurBroker(pid, settings)) return pid;
  fs.rmSync(settings.pidFile, { force: true });
  return null;
}

function formatStorageIfNeeded(settings) {
  if (fs.existsSync(path.join(settings.logDir, 'meta.properties'))) return;
  const args = [
    '-cp',
    `${settings.libsDir}${path.sep}*`,
    `-Dlog4j.configuration=file:${path.join(__dirname, 'kafka', 'log4j.properties')}`,
    `-Dkafka.logs.dir=${settings.dataDir}`,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    newClusterId(),
    '-c',
    settings.propertiesFile,
    // None for the local broker; a test's throwaway broker adds its SCRAM credentials (--add-scram) here.
    ...(settings.formatArgs ?? []),
  ];
  const result = spawnSync('java', args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new SetupError(
      `Formatting Kafka storage in ${settings.logDir} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
}

/**
 * Starts the broker detached (own session and process group, so a Ctrl-C aimed at `npm test` does not kill it
 * before we stop it cleanly, and stopping it takes every thread and child with it). Returns its PID.
 */
function startBrokerProcess(settings) {
  fs.mkdirSync(settings.logDir, { recursive: true });
  fs.writeFileSync(settings.propertiesFile, renderServerProperties(settings));
  formatStorageIfNeeded(settings);

  const out = fs.openSync(settings.stdoutLog, 'a');
  try {
    const child = spawn('java', brokerJavaArgs(settings), {
      cwd: settings.dataDir,
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.on('error', () => {}); // surfaced by waitForExitOrReady through the log / liveness check
    child.unref();
    fs.writeFileSync(settings.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    fs.closeSync(out);
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

/** SIGTERM the broker's process group, wait up to 20 s for a clean shutdown, then SIGKILL. Removes the PID file. */
async function stopBrokerProcess(pid, settings, { graceMs = STOP_GRACE_MS } = {}) {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    const killDeadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < killDeadline) await sleep(50);
    if (isAlive(pid)) throw new SetupError(`Kafka broker pid ${pid} survived SIGKILL; stop it by hand (kill -9 ${pid})`);
  }
  fs.rmSync(settings.pidFile, { force: true });
}

module.exports = {
  startBrokerProcess,
  stopBrokerProcess,
  runningBrokerPid,
  brokerLogTail,
  isAlive,
};
