import { DeliveryId } from '@hookline/contracts';
import { RunningAttempt, RunningAttempts } from './running-attempts';

function attempt(parked: string[], name: string): RunningAttempt & { name: string } {
  return { name, index: -1, deliveryId: `dlv_${name}` as DeliveryId, park: () => (parked.push(name), Promise.resolve()) };
}

describe('running attempts', () => {
  it('parks exactly the attempts still running, whatever order the others finished in', () => {
    const parked: string[] = [];
    const running = new RunningAttempts();
    const all = Array.from({ length: 50 }, (_, i) => attempt(parked, `a${i}`));
    for (const a of all) running.add(a);
    // Finish every attempt whose number is not a multiple of 7, in a scrambled order (first, last and middle ones).
    const finished = all.filter((_, i) => i % 7 !== 0);
    for (const a of [...finished.filter((_, i) => i % 2 === 0).reverse(), ...finished.filter((_, i) => i % 2 === 1)]) running.remove(a);
    expect(running.size).toBe(8);
    running.parkAll();
    expect(parked.sort()).toEqual(['a0', 'a14', 'a21', 'a28', 'a35', 'a42', 'a49', 'a7']);
  });

  it('an attempt that settles while being parked removes itself without disturbing the others', () => {
    const parked: string[] = [];
    const running = new RunningAttempts();
    const a = attempt(parked, 'a');
    const b = attempt(parked, 'b');
    const c: RunningAttempt = { index: -1, deliveryId: 'dlv_c' as DeliveryId, park: () => { parked.push('c'); running.remove(c); return null; } };
    for (const x of [a, c, b]) running.add(x);
    running.parkAll();
    expect(parked).toEqual(['a', 'c', 'b']);
    expect(running.size).toBe(2);
    running.remove(a);
    running.remove(b);
    expect(running.size).toBe(0);
  });

  it('refuses to remove an attempt twice (it would drop another running attempt from shutdown)', () => {
    const running = new RunningAttempts();
    const a = attempt([], 'a');
    running.add(a);
    running.add(attempt([], 'b'));
    running.remove(a);
    expect(() => running.remove(a)).toThrow(/not running/);
    expect(running.size).toBe(1);
  });

  it('finds the running attempt of a delivery (a resend hands it over), and none once it was removed', () => {
    const running = new RunningAttempts();
    const [a, b] = [attempt([], 'a'), attempt([], 'b')];
    running.add(a);
    running.add(b);
    expect(running.find('dlv_b' as DeliveryId)).toBe(b);
    running.remove(b);
    expect(running.find('dlv_b' as DeliveryId)).toBeUndefined();
    expect(running.find('dlv_a' as DeliveryId)).toBe(a);
  });
});
