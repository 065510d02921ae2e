// Brings the Kafka broker's jars into the local cache with Maven, once. A marker file written after a complete copy
// lets every later run skip Maven (and the network) entirely.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { KAFKA_VERSION } = require('./kafka-settings');
const { SetupError } = require('./setup-error');

const POM = path.join(__dirname, 'kafka', 'pom.xml');
const MARKER = '.complete';

const HOW_TO_SKIP = 'or set KAFKA_BROKERS to an existing cluster';

/** True when `command -v <tool>` would find it; avoids running a JVM just to learn that it exists. */
function onPath(tool, env = process.env) {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return dirs.some((dir) => {
    try {
      fs.accessSync(path.join(dir, tool), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Throws a SetupError naming the missing tool and how to get it. */
function requireJava() {
  if (onPath('java')) {
    const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
    const match = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`);
    // Kafka 3.9 brokers need Java 11+; "1.8" parses as 1 and is refused here with the same advice.
    if (match && Number(match[1]) >= 11) return;
    throw new SetupError(
      `Java 11+ is required to run a local Kafka broker, found: ${(probe.stderr || '').split('\n')[0]}. ` +
        `Install it (apt-get install openjdk-17-jre-headless) ${HOW_TO_SKIP}`,
    );
  }
  throw new SetupError(`Java not found: install it (apt-get install openjdk-17-jre-headless) ${HOW_TO_SKIP}`);
}

function isComplete(libsDir) {
  return fs.existsSync(path.join(libsDir, MARKER));
}

function runMaven(outputDir, log) {
  return new Promise((resolve, reject) => {
    const args = [
      '-q',
      '-B',
      '-f',
      POM,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${outputDir}`,
      '-DincludeScope=runtime',
    ];
    log(`Fetching Kafka ${KAFKA_VERSION} jars with Maven (once; cached in ${path.dirname(outputDir)})…`);
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      // Only the tail matters for the error message; cap memory for a chatty failure.
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => reject(new SetupError(`Could not run Maven: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const tail = output.trim().split('\n').slice(-15).join('\n');
      reject(
        new SetupError(
          `Maven could not fetch the Kafka jars (exit ${code}). Check network access to Maven Central, ` +
            `${HOW_TO_SKIP}.\n--- mvn output (tail) ---\n${tail}`,
        ),
      );
    });
  });
}

/**
 * Makes sure `libsDir` holds the broker's jars. Downloads into a sibling temp folder and renames it into place, so a
 * crash or a concurrent run never leaves a half-filled folder that looks complete.
 */
async function ensureKafkaJars({ libsDir, log = () => {} }) {
  requireJava();
  if (isComplete(libsDir)) return libsDir;
  if (!onPath('mvn')) {
    throw new SetupError(`Maven not found: install it (apt-get install maven) ${HOW_TO_SKIP}`);
  }

  const parent = path.dirname(libsDir);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, 'libs-tmp-'));
  try {
    await runMaven(staging, log);
    const jars = fs.readdirSync(staging).filter((f) => f.endsWith('.jar'));
    if (!jars.some((j) => j.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
      throw new SetupError(`Maven finished but kafka_2.13-${KAFKA_VERSION}.jar is missing from ${staging}`);
    }
    fs.writeFileSync(path.join(staging, MARKER), `kafka ${KAFKA_VERSION}, ${jars.length} jars\n`);
    if (isComplete(libsDir)) return libsDir; // another run finished first; its copy is as good as ours
    fs.rmSync(libsDir, { recursive: true, force: true });
    fs.renameSync(staging, libsDir);
    log(`Cached ${jars.length} Kafka jars in ${libsDir}`);
    return libsDir;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

module.exports = { ensureKafkaJars, requireJava, onPath };
