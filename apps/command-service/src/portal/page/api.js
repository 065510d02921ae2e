// Talking to the API: writes go to the command service (this page's own origin), reads to the query service.
import { state } from './state.js';

const PAGE_SIZE = 25;
// Enough for any tenant's catalog or endpoint list shown at once; beyond this a page would be unusable anyway.
const MAX_PAGES = 8;

/** The latest write's position token: the next reads wait until the query service has applied it. */
let position = null;
const cache = { eventTypes: null, endpoints: null };

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problemText(problem) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

/** What a problem document says, in one line. */
export const problemText = (problem) => problem.detail || problem.title;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function request(base, method, path, { body, params } = {}) {
  // Appended, not resolved: the query service may sit under a path of its own (https://api.example.com/query).
  const url = new URL(`${base}${path}`);
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  const headers = { accept: 'application/json, application/problem+json', authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'The webhook service could not be reached. Check your connection and try again.' });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // a proxy's HTML error page: described below by its status
  }
  if (!response.ok) {
    const problem = json && typeof json === 'object' ? json : {};
    if (!problemText(problem)) problem.title = `The service answered ${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, problem, Number(response.headers.get('retry-after')) || 1);
  }
  return json;
}

const commandBase = () => location.origin;
const tenantPath = (path) => `/v1/tenants/${encodeURIComponent(state.session.tenant_id)}${path}`;

/** The session of the page's token, from the command service (which knows it the moment it is opened). */
export const fetchSession = () => request(commandBase(), 'GET', '/v1/portal/session');

export async function sessionStillValid() {
  try {
    await fetchSession();
    return true;
  } catch (err) {
    if (err.status === 401) return false;
    throw err;
  }
}

/** A change through the command service; its position makes the following reads wait for it (read-your-writes). */
export async function write(method, path, body) {
  const result = await request(commandBase(), method, tenantPath(path), { body });
  if (result && typeof result.position === 'string') position = result.position;
  if (path.startsWith('/endpoints')) cache.endpoints = null;
  return result;
}

/** A read from the query service, after the latest write when there was one. */
export async function read(path, params = {}) {
  const waitFor = position;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await request(state.queryBase, 'GET', path, { params: { ...params, position: waitFor } });
      if (waitFor && position === waitFor) position = null;
      return result;
    } catch (err) {
      // 503: the read models have not applied our own write yet (the query waits only a few seconds for it).
      if (err.status === 503 && attempt < 4) {
        await sleep(err.retryAfter * 1000);
        continue;
      }
      // A session opened a moment ago is known to the query service once it has projected it: while the command
      // service still accepts the token, a 401 here is that lag, not an expired session.
      if (err.status === 401 && (await sessionStillValid())) {
        if (attempt >= 12) {
          throw new ApiError(503, { title: 'Not ready', detail: 'The delivery history does not know this session yet. Reload the page in a moment.' }, 1);
        }
        await sleep(Math.min(250 * attempt, 1500));
        continue;
      }
      throw err;
    }
  }
}

/** One page of a list as the views show it, from `cursor` (null: the first). */
export const readPage = (path, cursor, params = {}) => read(path, { limit: PAGE_SIZE, cursor, ...params });

/** Every page of a list, up to MAX_PAGES. */
export async function readAll(path, params = {}) {
  const items = [];
  let cursor;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await read(path, { ...params, limit: 250, cursor });
    items.push(...page.data);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return items;
}

/** A list several views want, read once; a failed read is not kept, so the next view asks again. */
function cached(key, load) {
  if (!cache[key]) {
    cache[key] = load().catch((err) => {
      cache[key] = null;
      throw err;
    });
  }
  return cache[key];
}

export const eventTypes = () => cached('eventTypes', () => readAll('/v1/event-types'));

/** Event types the platform added meanwhile show up once read again. */
export function forgetEventTypes() {
  cache.eventTypes = null;
}

/** The tenant's endpoints by id, to name them in the message views. */
export const endpointsById = () => cached('endpoints', () => readAll('/v1/endpoints').then((list) => new Map(list.map((e) => [e.id, e]))));
