import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { rules } from './support/rule-files';

const run = promisify(execFile);

// promtool comes with Debian's `prometheus` package; `npm test` installs it when missing (deploy/local/system-tools.js).
function promtool(): string {
  const candidates = [process.env['PROMTOOL'], '/usr/bin/promtool', '/usr/local/bin/promtool'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `promtool not found (looked at ${candidates.join(', ')}): install it with ` +
        '`apt-get install -y prometheus` (Debian/Ubuntu), or set PROMTOOL to its path',
    );
  }
  return found;
}

const inThisDir = (args: string[]) => run(promtool(), args, { cwd: __dirname, timeout: 60_000 });

describe('Prometheus configuration and alert rules', () => {
  it('promtool accepts the alert rules', async () => {
    const { stdout } = await inThisDir(['check', 'rules', 'alert-rules.yml']);
    expect(stdout).toContain(`SUCCESS: ${rules().length} rules found`);
  });

  it('promtool accepts prometheus.yml and the rule file it loads', async () => {
    const { stdout } = await inThisDir(['check', 'config', 'prometheus.yml']);
    expect(stdout).toContain('SUCCESS: 1 rule files found');
  });

  it('every alert fires on the series it is about and stays quiet otherwise (promtool test rules)', async () => {
    const { stdout } = await inThisDir(['test', 'rules', 'alert-rules.test.yml', 'alert-rules.latency.test.yml']);
    expect(stdout).not.toContain('FAILED');
  }, 60_000);

  it('has the alerts the runbook promises, each with a severity and a summary', () => {
    const alerts = rules().filter((r) => r.alert);
    expect(alerts.map((r) => r.alert).sort()).toEqual([
      'HooklineAmqpSourceBacklogHigh',
      'HooklineAmqpSourceDisconnected',
      'HooklineBrokerClientPoolFull',
      'HooklineConsumerLagHigh',
      'HooklineDeadLettersGrowing',
      'HooklineDeliveryFailureRateHigh',
      'HooklineDeliveryLatencyAboveBaseline',
      'HooklineHttpSourceRefusingAll',
      'HooklineParkedDeliveriesHigh',
      'HooklineTenantStoppedSending',
    ]);
    for (const alert of alerts) {
      expect(alert.labels?.['severity']).toMatch(/^(critical|warning|info)$/);
      expect(alert.annotations?.['summary']).toBeTruthy();
    }
  });

  it('is the file docker-compose mounts into Prometheus', () => {
    expect(existsSync(path.join(__dirname, 'alert-rules.yml'))).toBe(true);
  });
});
