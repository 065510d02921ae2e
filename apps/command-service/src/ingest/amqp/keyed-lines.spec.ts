import { KeyedLines } from './keyed-lines';

const later = () => {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { gate, open };
};

describe('keyed lines', () => {
  it('runs one key\'s tasks in the order given, and other keys\' (and keyless) tasks without waiting for them', async () => {
    const lines = new KeyedLines();
    const done: string[] = [];
    const first = later();
    void lines.run('a', async () => {
      await first.gate;
      done.push('a1');
    });
    void lines.run('a', async () => void done.push('a2'));
    void lines.run('b', async () => void done.push('b1'));
    void lines.run(null, async () => void done.push('none'));
    await new Promise((r) => setImmediate(r));
    expect(done).toEqual(['b1', 'none']);
    expect(lines.size).toBe(2);
    first.open();
    await lines.idle();
    expect(done).toEqual(['b1', 'none', 'a1', 'a2']);
    expect(lines.size).toBe(0);
  });

  it('goes on with a key\'s line after a task that threw', async () => {
    const lines = new KeyedLines();
    const done: string[] = [];
    void lines.run('a', async () => {
      throw new Error('boom');
    });
    await lines.run('a', async () => void done.push('a2'));
    expect(done).toEqual(['a2']);
  });
});
