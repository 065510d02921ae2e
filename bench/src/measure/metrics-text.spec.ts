import { metricSamples } from './metrics-text';

describe('metricSamples', () => {
  const text = [
    '# HELP hookline_dispatcher_attempts_total Attempts',
    '# TYPE hookline_dispatcher_attempts_total counter',
    'hookline_dispatcher_attempts_total{result="succeeded",trigger="initial",service="dispatcher"} 1200',
    'hookline_dispatcher_parked_total 7',
    'hookline_nodejs_eventloop_lag_p99_seconds{service="dispatcher"} 0.0123',
  ].join('\n');

  it('gives the wanted series without the services\' prefix, with their label block as written and parsed', () => {
    expect(metricSamples(text, (n) => n.startsWith('dispatcher_'))).toEqual([
      {
        name: 'dispatcher_attempts_total', labelText: '{result="succeeded",trigger="initial",service="dispatcher"}',
        labels: { result: 'succeeded', trigger: 'initial', service: 'dispatcher' }, value: 1200,
      },
      { name: 'dispatcher_parked_total', labelText: '', labels: {}, value: 7 },
    ]);
  });

  it('skips comments and the series it was not asked for', () => {
    expect(metricSamples(text, (n) => n === 'nodejs_eventloop_lag_p99_seconds').map((s) => s.value)).toEqual([0.0123]);
    expect(metricSamples(text, () => false)).toEqual([]);
  });
});
