import { encodePosition } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { parsePosition } from './position-wait';

describe('parsePosition', () => {
  const topics = ['p.hookline.messages.v1'];

  it('accepts the token the command service returns', () => {
    const token = encodePosition([{ topic: topics[0], partition: 2, offset: '17' }]);
    expect(parsePosition(token, topics)).toEqual([{ topic: topics[0], partition: 2, offset: '17' }]);
    expect(parsePosition(undefined, topics)).toBeNull();
  });

  it('answers a 400 naming the position parameter for garbage or a topic this service does not project', () => {
    for (const token of ['garbage!', encodePosition([{ topic: 'other.topic', partition: 0, offset: '1' }])]) {
      const err = (() => { try { parsePosition(token, topics); } catch (e) { return e; } })() as ProblemError;
      expect(err).toBeInstanceOf(ProblemError);
      expect(err.errors[0].pointer).toBe('/position');
    }
  });
});
