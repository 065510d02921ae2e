// The SASL login of a Kafka destination in the endpoint form: mechanism, user name and password, shown only while the
// URL names a Kafka topic. The password is never shown back (the API keeps it sealed and shows the login without it).
import { h, nextId } from './dom.js';
import { field, fieldError, selectInput } from './forms.js';
import { authSummary } from './wording.js';

const MECHANISMS = [['plain', 'PLAIN'], ['scram-sha-256', 'SCRAM-SHA-256'], ['scram-sha-512', 'SCRAM-SHA-512']];

/** Whether a URL as typed is a Kafka destination (kafka+tls://… or, where plaintext is allowed, kafka://…). */
export const isKafkaUrl = (url) => /^kafka(\+tls)?:\/\//i.test(url.trim());

/**
 * The SASL fieldset for `auth` (the endpoint's as the query service shows it, without the password; null when adding
 * one), kept in step with `urlInput`. `entry` goes to problemArea: `/auth` shows under the fieldset, `/auth/username`
 * and the like under their input. `read(url)` gives `auth`, what to send (undefined: leave the field out; null: remove
 * the stored login), or `errors` (problem errors) when the fields cannot be sent as they are.
 *
 * Editing, a login left as it was is not sent, so the stored password stays: the API replaces a login as a whole, and
 * a changed mechanism or user name therefore needs the password typed again.
 */
export function saslField(auth, urlInput) {
  const stored = auth && auth.type === 'kafka_sasl' ? auth : null;
  const ids = { sasl: nextId('sasl'), mechanism: nextId('sasl-mechanism'), username: nextId('sasl-username'), password: nextId('sasl-password') };
  const error = fieldError(ids.sasl);
  const errors = { mechanism: fieldError(ids.mechanism), username: fieldError(ids.username), password: fieldError(ids.password) };
  const mechanismInput = selectInput({ id: ids.mechanism, testid: 'sasl-mechanism', 'aria-describedby': `${ids.mechanism}-error` },
    [['', stored ? 'None: remove the stored login' : 'None'], ...MECHANISMS]);
  mechanismInput.value = stored ? stored.mechanism : '';
  const usernameInput = h('input', {
    id: ids.username, type: 'text', maxlength: 256, autocomplete: 'off', spellcheck: 'false', value: stored ? stored.username : '',
    testid: 'sasl-username', 'aria-describedby': `${ids.username}-error`,
  });
  // new-password: the browser must not fill in a password it saved for some other site, nor offer to save this one as the portal's.
  const passwordInput = h('input', {
    id: ids.password, type: 'password', maxlength: 1024, autocomplete: 'new-password', testid: 'sasl-password',
    placeholder: stored ? 'Stored: leave empty to keep it' : '', 'aria-describedby': `${ids.password}-error`,
  });
  const credentials = h('div', { class: 'sasl-credentials' },
    field('User name', usernameInput, errors.username),
    field('Password', passwordInput, errors.password));
  const node = h('fieldset', { class: 'field', testid: 'sasl-fields', 'aria-describedby': `${ids.sasl}-hint ${ids.sasl}-error` },
    h('legend', null, 'SASL login to the Kafka cluster'),
    h('p', { class: 'hint', id: `${ids.sasl}-hint` }, stored
      ? `Stored: ${authSummary(stored)}. Its password is never shown; leave the password empty to keep it.`
      : 'The user name and password the cluster gave you (Confluent Cloud: an API key and secret). The password is never shown again.'),
    field('Mechanism', mechanismInput, errors.mechanism, 'field field-narrow'),
    credentials,
    error);
  const sync = () => {
    node.hidden = !isKafkaUrl(urlInput.value);
    credentials.hidden = mechanismInput.value === '';
  };
  urlInput.addEventListener('input', sync);
  mechanismInput.addEventListener('change', sync);
  sync();

  const read = (url) => {
    const mechanism = mechanismInput.value;
    // SASL goes with a Kafka URL only: a stored login goes when the URL stops being one (the API would refuse it next to https).
    if (!isKafkaUrl(url) || mechanism === '') return { auth: stored ? null : undefined, errors: [] };
    const username = usernameInput.value;
    const password = passwordInput.value;
    if (stored && mechanism === stored.mechanism && username === stored.username && password === '') return { auth: undefined, errors: [] };
    const problems = [];
    if (username === '') problems.push({ pointer: '/auth/username', detail: 'Enter the user name.' });
    if (password === '') {
      problems.push({ pointer: '/auth/password', detail: stored
        ? 'Enter the password again: a changed login is saved with its password, and the stored one is never shown here.'
        : 'Enter the password.' });
    }
    return problems.length ? { errors: problems } : { auth: { type: 'kafka_sasl', mechanism, username, password }, errors: [] };
  };

  const parts = {
    mechanism: { input: mechanismInput, error: errors.mechanism },
    username: { input: usernameInput, error: errors.username },
    password: { input: passwordInput, error: errors.password },
  };
  return { node, entry: { input: null, error, at: (name) => parts[name] }, read };
}
