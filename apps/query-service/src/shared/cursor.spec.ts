import { ProblemError } from '@hookline/service-kit';
import { decodeCursor, encodeCursor, toPage } from './cursor';

describe('cursor', () => {
  it('round-trips (created_at, id) as opaque base64url', () => {
    const token = encodeCursor(new Date('2026-01-02T03:04:05.678Z'), 'msg_x');
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token)).toEqual({ at: '2026-01-02T03:04:05.678Z', id: 'msg_x' });
  });

  it('refuses anything it did not issue with a problem naming the cursor parameter', () => {
    for (const bad of ['zzz', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["not a date","x"]').toString('base64url')]) {
      expect(() => decodeCursor(bad)).toThrow(ProblemError);
      try {
        decodeCursor(bad);
      } catch (err) {
        expect((err as ProblemError).errors[0].pointer).toBe('/cursor');
      }
    }
  });

  it('pages from limit + 1 rows: a next cursor only when there is more', () => {
    const rows = [1, 2, 3].map((n) => ({ at: new Date(n * 1000), id: `r${n}` }));
    const key = (r: { at: Date; id: string }) => r;
    expect(toPage(rows, 2, key, (r) => r.id)).toEqual({ data: ['r1', 'r2'], next_cursor: encodeCursor(rows[1].at, 'r2') });
    expect(toPage(rows.slice(0, 2), 2, key, (r) => r.id)).toEqual({ data: ['r1', 'r2'], next_cursor: null });
  });
});
