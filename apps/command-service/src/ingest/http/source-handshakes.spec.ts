import { createHmac } from 'node:crypto';
import { getHandshakeReply, postHandshakeReply } from './source-handshakes';

const query = (text = '') => new URLSearchParams(text);
const zoomSecret = () => 'zoom-secret-token';
const noSecret = () => {
  throw new Error('no secret is needed here');
};
// Sealed values are the plaintext behind a marker here, so each test sees what it opens.
const open = (sealed: string) => sealed.replace(/^sealed:/, '');

describe('the handshakes an HTTP source answers itself', () => {
  describe('Slack url_verification', () => {
    it('answers the challenge as {"challenge":…} JSON', () => {
      const body = { token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };
      expect(postHandshakeReply({ type: 'slack' }, { query: query(), body }, noSecret))
        .toEqual({ contentType: 'application/json', body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}' });
    });

    it('leaves an event callback, a body without a challenge, and a body that is not JSON to the webhook path', () => {
      expect(postHandshakeReply({ type: 'slack' }, { query: query(), body: { type: 'event_callback', event: { type: 'message' } } }, noSecret)).toBeNull();
      expect(postHandshakeReply({ type: 'slack' }, { query: query(), body: { type: 'url_verification' } }, noSecret)).toBeNull();
      expect(postHandshakeReply({ type: 'slack' }, { query: query(), body: { type: 'url_verification', challenge: 'x'.repeat(1025) } }, noSecret)).toBeNull();
      expect(postHandshakeReply({ type: 'slack' }, { query: query(), body: undefined }, noSecret)).toBeNull();
    });
  });

  describe('Zoom endpoint.url_validation', () => {
    const validation = (plainToken: unknown) => ({ payload: { plainToken }, event_ts: 1654503849680, event: 'endpoint.url_validation' });

    it('answers the plain token and its hex HMAC-SHA256 with the secret token', () => {
      const reply = postHandshakeReply({ type: 'zoom' }, { query: query(), body: validation('qgg8vlvZRS6UYooatFL8Aw') }, zoomSecret);
      expect(reply?.contentType).toBe('application/json');
      expect(JSON.parse(reply!.body)).toEqual({
        plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', 'zoom-secret-token').update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
      });
    });

    it('leaves other events and a validation without a plain token to the webhook path', () => {
      expect(postHandshakeReply({ type: 'zoom' }, { query: query(), body: { event: 'meeting.started', payload: {} } }, noSecret)).toBeNull();
      expect(postHandshakeReply({ type: 'zoom' }, { query: query(), body: validation(42) }, noSecret)).toBeNull();
    });
  });

  describe('Microsoft Graph validationToken', () => {
    it('answers the token, decoded, as text/plain', () => {
      const reply = postHandshakeReply({ type: 'microsoft_graph' }, { query: query('validationToken=Validation%3A%20Testing%20client%20application%20reachability'), body: undefined }, noSecret);
      expect(reply).toEqual({ contentType: 'text/plain; charset=utf-8', body: 'Validation: Testing client application reachability' });
    });

    it('leaves a notification (no validationToken) to the webhook path', () => {
      expect(postHandshakeReply({ type: 'microsoft_graph' }, { query: query(), body: { value: [{ changeType: 'created' }] } }, noSecret)).toBeNull();
      expect(postHandshakeReply({ type: 'microsoft_graph' }, { query: query('validationToken='), body: undefined }, noSecret)).toBeNull();
    });
  });

  it('answers nothing on a POST for a source without a handshake, another handshake, or Meta\'s (checked with a GET)', () => {
    const slackChallenge = { type: 'url_verification', challenge: 'c' };
    expect(postHandshakeReply(null, { query: query('validationToken=t'), body: slackChallenge }, noSecret)).toBeNull();
    expect(postHandshakeReply({ type: 'zoom' }, { query: query('validationToken=t'), body: slackChallenge }, noSecret)).toBeNull();
    expect(postHandshakeReply({ type: 'microsoft_graph' }, { query: query(), body: slackChallenge }, noSecret)).toBeNull();
    expect(postHandshakeReply({ type: 'meta', verify_token_sealed: 'sealed:t' }, { query: query('validationToken=t'), body: slackChallenge }, noSecret)).toBeNull();
  });

  describe('Meta verification request (GET)', () => {
    const meta = { type: 'meta' as const, verify_token_sealed: 'sealed:my-verify-token' };

    it('answers the challenge as text when the mode is subscribe and the verify token is the source\'s', () => {
      expect(getHandshakeReply(meta, query('hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444'), open))
        .toEqual({ ok: true, reply: { contentType: 'text/plain; charset=utf-8', body: '1158201444' } });
    });

    it('refuses another verify token, another mode, or no challenge', () => {
      const refused = { ok: false, reason: 'verify_token_mismatch' };
      expect(getHandshakeReply(meta, query('hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1'), open)).toEqual(refused);
      expect(getHandshakeReply(meta, query('hub.mode=subscribe&hub.challenge=1'), open)).toEqual(refused);
      expect(getHandshakeReply(meta, query('hub.mode=unsubscribe&hub.verify_token=my-verify-token&hub.challenge=1'), open)).toEqual(refused);
      expect(getHandshakeReply(meta, query('hub.mode=subscribe&hub.verify_token=my-verify-token'), open)).toEqual(refused);
    });

    it('has no answer for a source without Meta\'s handshake', () => {
      const get = 'hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1';
      expect(getHandshakeReply(null, query(get), open)).toEqual({ ok: false, reason: 'no_get_handshake' });
      expect(getHandshakeReply({ type: 'slack' }, query(get), open)).toEqual({ ok: false, reason: 'no_get_handshake' });
    });
  });
});
