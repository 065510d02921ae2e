import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createTestDatabase, startReceiver, testTopicPrefix, waitFor, TestDatabase, TestReceiver } from '@hookline/testing';
import { Browser, BrowserContext, Locator, Page, chromium } from 'playwright-core';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { ServiceProcess, deleteStackTopics, stackEnv, stackPorts, startStackServices } from './support/e2e-stack';

// The consumer portal as its user meets it: a link opened in a real browser (Debian's Chromium, driven by
// playwright-core), against the three services as separate processes. The page is driven only through what it shows.
// `npm test` points CHROMIUM_PATH at the browser it found or installed (system-tools.js).
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ADMIN_KEY = `hk_e2e_admin_${randomBytes(12).toString('hex')}`;
const ports = stackPorts(24000);
const COMMAND_URL = `http://127.0.0.1:${ports.command}`;
// Markup in a name the page shows: it must come out as text.
const TENANT_NAME = 'Acme <Billing> & Co';
/** The data-testids of the page's controls that change something: add, edit, enable/disable, delete, rotate, test, recover, resend. */
const CHANGE_CONTROLS = [
  'add-endpoint', 'endpoint-form', 'endpoint-submit', 'header-add', 'endpoint-toggle', 'endpoint-delete', 'rotate-secret', 'test-submit',
  'recover-submit', 'attempt-resend', 'delivery-resend', 'failed-resend',
];

// The operator's brand, which the whole suite runs under: an inline SVG logo (no request leaves the machine).
const LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><rect width="60" height="20" fill="#0a7d55"/></svg>').toString('base64')}`;
const BRANDING = { PORTAL_TITLE: 'Acme Hooks', PORTAL_ACCENT_COLOR: '#0a7d55', PORTAL_LOGO_URL: LOGO };

/** What the page reported that it should not have: console errors (CSP violations among them) and uncaught exceptions. */
interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
}

describe('the consumer portal page (Chromium, three service processes)', () => {
  let db: TestDatabase;
  let children: ServiceProcess[] = [];
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const receivers: TestReceiver[] = [];
  const prefix = testTopicPrefix('portal');

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), or point CHROMIUM_PATH at it`);
    }
    db = await createTestDatabase('portal');
    const env = stackEnv(db, prefix, ADMIN_KEY, ports);
    const branded = { ...env, of: (service: string) => (service === 'command-service' ? { ...env.of(service), ...BRANDING } : env.of(service)) };
    await startStackServices(branded, children);
    receivers.push(await startReceiver());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await Promise.all(children.map((c) => c.stop()));
    children = [];
    await Promise.all(receivers.map((r) => r.close()));
    await db?.drop();
    await deleteStackTopics(prefix);
  }, 60_000);

  async function api(method: string, path: string, body?: unknown, key = ADMIN_KEY): Promise<{ status: number; contentType: string; json: Record<string, unknown> }> {
    const base = path.startsWith('q:') ? `http://127.0.0.1:${ports.query}` : COMMAND_URL;
    const res = await fetch(`${base}${path.replace(/^q:/, '')}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', json: (await res.json()) as Record<string, unknown> };
  }

  /** A tenant with two event types and a portal session for it (a view-only one with `read_only`), known to the query service too. */
  async function tenantWithSession(name: string, sessionOptions: { read_only?: boolean } = {}) {
    const created = await api('POST', '/v1/tenants', { name });
    expect(created.status).toBe(201);
    const tenant = created.json.id as string;
    const invoiceSchema = { type: 'object', required: ['invoice_id'], properties: { invoice_id: { type: 'string' }, amount: { type: 'integer' } } };
    for (const [type, description, schema] of [['invoice.paid', 'An invoice was paid', invoiceSchema], ['customer.created', 'A customer signed up', undefined]] as const) {
      expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: type, description, schema })).status).toBe(201);
    }
    const session = await api('POST', `/v1/tenants/${tenant}/portal-sessions`, sessionOptions);
    expect(session.status).toBe(201);
    // The page rides out the moment before the query service knows the session's key (it retries its 401s), but each
    // of those is a console error in Chromium: waiting for the key's position here keeps the console a clean signal.
    expect((await api('GET', `q:/v1/event-types?tenant_id=${tenant}&position=${session.json.position as string}`)).status).toBe(200);
    return { tenant, session: session.json as { id: string; token: string; url: string; tenant_id: string; expires_at: string; read_only: boolean } };
  }

  /** `colorScheme`: what the browser says it prefers (the page's `auto` theme follows it). */
  async function openPage(url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; problems: PageProblems }> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: PageProblems = { consoleErrors: [], pageErrors: [] };
    // Chromium reports a CSP violation as a console error ("Refused to … because it violates … Content Security Policy").
    page.on('console', (msg) => {
      if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => problems.pageErrors.push(err.message));
    await page.goto(url);
    return { page, problems };
  }

  /** Clicks the view's Refresh button until `target` shows (the read model follows the deliveries a moment later). */
  async function refreshUntil(page: Page, target: Locator, count: number, what: string, refresh = 'attempts-refresh') {
    await waitFor(async () => {
      if ((await target.count()) >= count) return true;
      await page.getByTestId(refresh).click();
      await page.locator(`[data-testid="${refresh}"]:not([disabled])`).waitFor();
      return (await target.count()) >= count;
    }, 30_000, what, 250);
  }

  /** An endpoint as the query service shows it (credential-like header values masked). */
  const storedEndpoint = async (tenant: string, endpointId: string) => (await api('GET', `q:/v1/endpoints/${endpointId}?tenant_id=${tenant}`)).json;

  /** Which of CHANGE_CONTROLS the page shows now. */
  const changeControlsShown = async (page: Page) =>
    (await Promise.all(CHANGE_CONTROLS.map(async (testid) => ((await page.getByTestId(testid).count()) > 0 ? [testid] : [])))).flat();

  it("lets a tenant's customer add an endpoint, see its deliveries, resend one and disable the endpoint, from the link alone", async () => {
    const receiver = receivers[0];
    const { tenant, session } = await tenantWithSession(TENANT_NAME);
    expect(session.url).toBe(`${COMMAND_URL}/portal#token=${encodeURIComponent(session.token)}`);
    const { page, problems } = await openPage(session.url);

    // The list shows once the session is open, and with it the top bar (read before then, the name is still empty).
    await page.getByTestId('endpoints-empty').waitFor();
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe(TENANT_NAME);
    await expect(page.getByTestId('session-expiry').textContent()).resolves.toMatch(/^Session ends /);
    // The token left the address bar at once: it must not linger in the history, a screenshot or a shared URL.
    expect(page.url()).toBe(`${COMMAND_URL}/portal`);

    // Add an endpoint subscribed to one of the two event types.
    await page.getByTestId('add-endpoint').click();
    await page.getByTestId('endpoint-url').fill(`${receiver.url}/hook`);
    await page.getByTestId('endpoint-description').fill('Billing hooks');
    await page.getByLabel('invoice.paid').check();
    await page.getByTestId('endpoint-submit').click();
    const secret = (await page.getByTestId('endpoint-secret').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await expect(page.getByTestId('secret-panel').textContent()).resolves.toContain('won’t be shown again');
    const row = page.getByTestId('endpoint-row');
    await row.waitFor();
    expect(await row.count()).toBe(1);
    await expect(row.getByTestId('endpoint-status').textContent()).resolves.toBe('Enabled');
    await expect(row.textContent()).resolves.toEqual(expect.stringContaining(`${receiver.url}/hook`));
    await expect(row.locator('.chip').allTextContents()).resolves.toEqual(['invoice.paid']);
    const endpointId = (await row.getAttribute('data-endpoint-id'))!;

    // The event catalog: what there is to subscribe to, its payload schema, and which types the endpoint takes.
    await page.getByTestId('nav-event-types').click();
    const invoiceType = page.locator('[data-testid="event-type"][data-event-type="invoice.paid"]');
    await expect(invoiceType.getByTestId('event-type-receivers').textContent()).resolves.toBe('1 of your endpoints receives it.');
    await invoiceType.locator('summary').click();
    expect(JSON.parse((await invoiceType.getByTestId('event-type-schema').textContent())!)).toMatchObject({ required: ['invoice_id'] });
    const customerType = page.locator('[data-testid="event-type"][data-event-type="customer.created"]');
    await expect(customerType.getByTestId('event-type-receivers').textContent()).resolves.toBe('None of your endpoints receives it.');
    await page.getByTestId('nav-endpoints').click();

    // The platform publishes one message of each type; one tenant's messages are fanned out in order, so once the
    // second arrives the first has been passed over.
    const skipped = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'customer.created', payload: { customer: 'cus_1' } });
    const paid = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice_id: 'in_1', amount: 4200 } });
    expect([skipped.status, paid.status]).toEqual([202, 202]);
    const paidId = paid.json.id as string;
    const [first] = await receiver.waitForRequests(1, 30_000);
    expect(first.headers['webhook-id']).toBe(paidId);
    // Signed with the secret the page showed.
    expect(new StandardWebhook(secret).verify(first.body, first.headers)).toMatchObject({ type: 'invoice.paid', data: { invoice_id: 'in_1' } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.requests).toHaveLength(1);

    // Its details show the attempt.
    await row.getByTestId('endpoint-open').click();
    await expect(page.getByTestId('endpoint-title').textContent()).resolves.toBe(`${receiver.url}/hook`);
    const attempt = page.locator(`[data-testid="attempt-row"][data-message-id="${paidId}"]`);
    await refreshUntil(page, attempt, 1, 'the attempt in the endpoint details');
    await expect(attempt.getByTestId('attempt-outcome').textContent()).resolves.toBe('Succeeded');
    await expect(attempt.getByTestId('attempt-status').textContent()).resolves.toBe('200');
    await expect(attempt.textContent()).resolves.toContain('invoice.paid');
    await expect(page.getByTestId('endpoint-health').textContent()).resolves.toContain('Success rate');

    // Resend: the same message again, with the same webhook-id.
    await attempt.first().getByTestId('attempt-resend').click();
    await page.getByTestId('toast').filter({ hasText: 'sent again' }).waitFor();
    const [, again] = await receiver.waitForRequests(2, 30_000);
    expect(again.headers['webhook-id']).toBe(paidId);
    await refreshUntil(page, attempt, 2, 'the resent attempt in the endpoint details');
    await expect(attempt.first().textContent()).resolves.toContain('resend');

    // A test message from the page: an example made from the type's schema, signed like every webhook.
    await page.getByTestId('test-submit').click();
    const testMessageId = (await page.getByTestId('test-message-id').textContent())!;
    expect(JSON.parse((await page.getByTestId('test-sent-payload').textContent())!)).toEqual({ invoice_id: 'string', amount: 0 });
    const [, , probe] = await receiver.waitForRequests(3, 30_000);
    expect(probe.headers['webhook-id']).toBe(testMessageId);
    expect(new StandardWebhook(secret).verify(probe.body, probe.headers)).toMatchObject({ type: 'invoice.paid', data: { invoice_id: 'string', amount: 0 } });

    // Unchecking every event type in its settings switches it to all of them (those added later too).
    await page.getByTestId('endpoint-form').getByLabel('invoice.paid').uncheck();
    await page.getByTestId('endpoint-form').getByTestId('endpoint-submit').click();
    await page.getByTestId('toast').filter({ hasText: 'Changes saved' }).waitFor();
    await waitFor(async () => (await api('GET', `q:/v1/endpoints/${endpointId}?tenant_id=${tenant}`)).json.event_types === null, 15_000, 'every event type');

    // The saved page, drawn again, charts the last 24 hours: the first send and the resend at least (the test message's
    // attempt may still be on its way to the read model), all succeeded, in the hour(s) they happened.
    const caption = page.getByTestId('delivery-chart-caption');
    await waitFor(async () => /^[23] attempts in the last 24 hours, 0 failed$/.test((await caption.textContent()) ?? ''), 15_000, 'the chart of the attempts');
    const charted = Number((await caption.textContent())!.split(' ')[0]);
    const bars = page.getByTestId('delivery-chart').getByTestId('chart-bar');
    await expect(bars.count()).resolves.toBe(24);
    const barFigures = await Promise.all((await bars.all()).map(async (bar) => [Number(await bar.getAttribute('data-attempts')), Number(await bar.getAttribute('data-failed'))]));
    expect(barFigures.reduce((sum, [attempts]) => sum + attempts, 0)).toBe(charted);
    expect(barFigures.every(([, failed]) => failed === 0)).toBe(true);

    // The message's own page: its payload, and its delivery to this endpoint.
    await attempt.first().getByTestId('attempt-message').click();
    await expect(page.getByTestId('message-id').textContent()).resolves.toBe(paidId);
    expect(JSON.parse((await page.getByTestId('message-payload').textContent())!)).toEqual({ invoice_id: 'in_1', amount: 4200 });
    const delivery = page.locator(`[data-testid="delivery-row"][data-endpoint-id="${endpointId}"]`);
    await expect(delivery.getByTestId('delivery-status').allTextContents()).resolves.toContain('Succeeded');

    // Disable it from the list.
    await page.getByTestId('nav-endpoints').click();
    await row.getByTestId('endpoint-toggle').click();
    await waitFor(async () => (await row.getByTestId('endpoint-status').textContent()) === 'Disabled', 15_000, 'the endpoint to show disabled');
    await expect(row.getByTestId('endpoint-toggle').textContent()).resolves.toBe('Enable');
    const stored = await api('GET', `q:/v1/endpoints/${endpointId}?tenant_id=${tenant}`);
    expect(stored.json).toMatchObject({ status: 'disabled', disabled_reason: 'manual', description: 'Billing hooks', event_types: null });

    expect(await page.getByTestId('error-banner').isVisible()).toBe(false);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  }, 120_000);

  it('lists a delivery that gave up among the failed ones, and sends it again from there once the endpoint is fixed', async () => {
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(500).end('down for maintenance');
    });
    receivers.push(receiver);
    const { tenant, session } = await tenantWithSession('Failing receiver');
    // One retry a second after the first attempt: the delivery gives up within seconds.
    const endpoint = await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${receiver.url}/hook`, retry_schedule_seconds: [1] });
    expect(endpoint.status).toBe(201);
    const endpointId = endpoint.json.id as string;
    const message = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice_id: 'in_dead' } });
    expect(message.status).toBe(202);
    const messageId = message.json.id as string;
    await receiver.waitForRequests(2, 30_000);

    const { page, problems } = await openPage(session.url);
    await page.getByTestId('endpoint-row').waitFor();
    await page.getByTestId('nav-failed').click();
    await expect(page.getByTestId('nav-failed').getAttribute('aria-current')).resolves.toBe('page');
    const failed = page.locator(`[data-testid="failed-row"][data-message-id="${messageId}"]`);
    await refreshUntil(page, failed, 1, 'the dead letter in the failed deliveries', 'failed-refresh');
    await expect(failed.getAttribute('data-endpoint-id')).resolves.toBe(endpointId);
    await expect(failed.getByTestId('failed-cause').textContent()).resolves.toBe('Every retry failed');
    await expect(failed.getByTestId('failed-attempts').textContent()).resolves.toBe('2');
    await expect(failed.textContent()).resolves.toEqual(expect.stringContaining(`${receiver.url}/hook`));
    await expect(failed.textContent()).resolves.toEqual(expect.stringContaining('invoice.paid'));
    // Narrowed to its endpoint (named by its URL), it is still there.
    await page.getByTestId('filter-endpoint').selectOption({ label: `${receiver.url}/hook` });
    await failed.waitFor();

    // The customer fixed their server: Resend sends the same message again, with the same webhook-id.
    receiver.respondWith((_req, res) => {
      res.writeHead(200).end('ok');
    });
    await failed.getByTestId('failed-resend').click();
    await page.getByTestId('toast').filter({ hasText: 'sent again' }).waitFor();
    const [, , again] = await receiver.waitForRequests(3, 30_000);
    expect(again.headers['webhook-id']).toBe(messageId);

    // Its message link opens the message.
    await failed.getByTestId('failed-message').click();
    await expect(page.getByTestId('message-id').textContent()).resolves.toBe(messageId);
    expect(await page.getByTestId('error-banner').isVisible()).toBe(false);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  }, 90_000);

  it('edits custom headers and the rate limit in the endpoint form, sending only the headers changed, never a hidden value back', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { tenant, session } = await tenantWithSession('Header settings');
    const { page, problems } = await openPage(session.url);
    await page.getByTestId('endpoints-empty').waitFor();

    // Added with two headers, one named like a credential, and a rate limit.
    await page.getByTestId('add-endpoint').click();
    const form = page.getByTestId('endpoint-form');
    const headerRows = form.getByTestId('header-row');
    const addHeader = async (name: string, value: string) => {
      await form.getByTestId('header-add').click();
      await headerRows.last().getByTestId('header-name').fill(name);
      await headerRows.last().getByTestId('header-value').fill(value);
    };
    await form.getByTestId('endpoint-url').fill(`${receiver.url}/hook`);
    await addHeader('X-Api-Key', 'sk_original');
    await addHeader('X-Team', 'billing');
    await form.getByTestId('endpoint-rate-limit').fill('50');
    await form.getByTestId('endpoint-submit').click();
    await page.getByTestId('secret-panel').waitFor();
    const row = page.getByTestId('endpoint-row');
    await row.waitFor();
    const endpointId = (await row.getAttribute('data-endpoint-id'))!;
    await expect(storedEndpoint(tenant, endpointId)).resolves.toMatchObject({ headers: { 'X-Api-Key': '****', 'X-Team': 'billing' }, rate_limit_per_second: 50 });

    // Its page shows the credential's value hidden; changing only the rate limit leaves the headers out of the save.
    await row.getByTestId('endpoint-open').click();
    const hidden = page.locator('[data-testid="header-row"][data-hidden="true"]');
    await expect(hidden.getByTestId('header-name').inputValue()).resolves.toBe('X-Api-Key');
    await expect(hidden.getByTestId('header-value').inputValue()).resolves.toBe('');
    await form.getByTestId('endpoint-rate-limit').fill('7');
    await form.getByTestId('endpoint-submit').click();
    await page.getByTestId('toast').filter({ hasText: 'Changes saved' }).waitFor();
    await waitFor(async () => (await storedEndpoint(tenant, endpointId)).rate_limit_per_second === 7, 15_000, 'the new rate limit');
    await expect(storedEndpoint(tenant, endpointId)).resolves.toMatchObject({ headers: { 'X-Api-Key': '****', 'X-Team': 'billing' } });
    // The receiver still gets the real value, not the mask.
    expect((await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice_id: 'in_h1' } })).status).toBe(202);
    const [first] = await receiver.waitForRequests(1, 30_000);
    expect(first.headers).toMatchObject({ 'x-api-key': 'sk_original', 'x-team': 'billing' });

    // Changing another header sends only that change (PATCH …/headers): the hidden one keeps its real value.
    await form.locator('[data-testid="header-row"]:not([data-hidden])').getByTestId('header-value').fill('payments');
    await form.getByTestId('endpoint-rate-limit').fill('');
    // A header the API refuses: its error shows next to that header's row, and nothing is saved.
    await addHeader('Webhook-Id', 'mine');
    await form.getByTestId('endpoint-submit').click();
    const refused = headerRows.last().locator('.field-error');
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toContain('set by Hookline');
    expect(await hidden.locator('.field-error').isVisible()).toBe(false);
    await expect(storedEndpoint(tenant, endpointId)).resolves.toMatchObject({ headers: { 'X-Api-Key': '****', 'X-Team': 'billing' }, rate_limit_per_second: 7 });

    await headerRows.last().getByTestId('header-remove').click();
    await form.getByTestId('endpoint-submit').click();
    await page.getByTestId('toast').filter({ hasText: 'Changes saved' }).waitFor();
    await waitFor(async () => (await storedEndpoint(tenant, endpointId)).rate_limit_per_second === null, 15_000, 'no rate limit');
    await expect(storedEndpoint(tenant, endpointId)).resolves.toMatchObject({ headers: { 'X-Api-Key': '****', 'X-Team': 'payments' } });
    expect((await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice_id: 'in_h2' } })).status).toBe(202);
    const [, second] = await receiver.waitForRequests(2, 30_000);
    expect(second.headers).toMatchObject({ 'x-api-key': 'sk_original', 'x-team': 'payments' });

    // A value typed into the hidden one replaces it; a header removed goes.
    const before = Number((await storedEndpoint(tenant, endpointId)).version);
    await hidden.getByTestId('header-value').fill('sk_rotated');
    await form.locator('[data-testid="header-row"]:not([data-hidden])').getByTestId('header-remove').click();
    await form.getByTestId('endpoint-submit').click();
    await waitFor(async () => Number((await storedEndpoint(tenant, endpointId)).version) > before, 15_000, 'the headers saved');
    await expect(storedEndpoint(tenant, endpointId)).resolves.toMatchObject({ headers: { 'X-Api-Key': '****' } });
    expect((await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice_id: 'in_h3' } })).status).toBe(202);
    const [, , third] = await receiver.waitForRequests(3, 30_000);
    expect(third.headers['x-api-key']).toBe('sk_rotated');
    expect(third.headers['x-team']).toBeUndefined();

    expect(await page.getByTestId('error-banner').isVisible()).toBe(false);
    // The API's refusal of the reserved header is the one console error Chromium reports (its 400).
    expect(problems.consoleErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  }, 90_000);

  it('marks an endpoint of every event type that waits for approval of a type added after it', async () => {
    const { tenant, session } = await tenantWithSession('Approval wait');
    const endpoint = await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${receivers[0].url}/every-type` });
    expect(endpoint.status).toBe(201);
    const endpointId = endpoint.json.id as string;
    const gated = await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'payout.sent', description: 'A payout left', requires_approval: true });
    expect(gated.status).toBe(201);
    await waitFor(async () => ((await storedEndpoint(tenant, endpointId)).event_types_awaiting_approval as string[] | undefined)?.length === 1,
      15_000, 'the type awaiting approval');

    const { page, problems } = await openPage(session.url);
    const row = page.locator(`[data-testid="endpoint-row"][data-endpoint-id="${endpointId}"]`);
    await expect(row.getByTestId('endpoint-awaiting').textContent()).resolves.toBe('1 type awaiting approval');
    await expect(row.getByTestId('endpoint-status').textContent()).resolves.toBe('Enabled');
    await row.getByTestId('endpoint-open').click();
    const note = page.getByTestId('awaiting-approval');
    await expect(note.textContent()).resolves.toMatch(/^Waiting for approval: payout\.sent\. It receives every other event type; this one needs the approval/);

    // No delivery of this tenant gave up: the failed view says so.
    await page.getByTestId('nav-failed').click();
    await page.getByTestId('failed-empty').waitFor();
    expect(await page.getByTestId('failed-table').isVisible()).toBe(false);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  }, 60_000);

  it('adds an endpoint that is a Kafka topic on several brokers, a URL the browser alone would refuse, with a SASL login never shown back', async () => {
    const { tenant, session } = await tenantWithSession('Kafka destination');
    const { page, problems } = await openPage(session.url);
    await page.getByTestId('endpoints-empty').waitFor();
    await page.getByTestId('add-endpoint').click();
    const form = page.getByTestId('endpoint-form');
    const sasl = form.getByTestId('sasl-fields');
    // The SASL login belongs to Kafka URLs only: an https one shows no such fields.
    await form.getByTestId('endpoint-url').fill('https://example.com/hook');
    expect(await sasl.isVisible()).toBe(false);
    const url = 'kafka://127.0.0.1:9092,127.0.0.1:9093/orders.webhooks';
    await form.getByTestId('endpoint-url').fill(url);
    await sasl.waitFor();
    expect(await sasl.getByTestId('sasl-username').isVisible()).toBe(false);
    await sasl.getByTestId('sasl-mechanism').selectOption('scram-sha-256');
    await sasl.getByTestId('sasl-username').fill('portal-user');
    await sasl.getByTestId('sasl-password').fill('pw-portal-secret');
    await form.getByTestId('endpoint-submit').click();
    await expect(page.getByTestId('endpoint-secret').textContent()).resolves.toMatch(/^whsec_/);
    const row = page.getByTestId('endpoint-row');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(url);
    const [stored] = (await api('GET', `q:/v1/endpoints?tenant_id=${tenant}`)).json.data as Array<{ id: string; url: string; auth: unknown }>;
    expect(stored.url).toBe(url);
    expect(stored.auth).toEqual({ type: 'kafka_sasl', mechanism: 'scram-sha-256', username: 'portal-user' });
    expect(JSON.stringify(await storedEndpoint(tenant, stored.id))).not.toContain('pw-portal-secret');

    // Its page says how it logs in, and shows no password: saving another setting leaves the login as it is.
    await row.getByTestId('endpoint-open').click();
    await expect(page.getByTestId('endpoint-auth').textContent()).resolves.toBe('Login SASL (scram-sha-256) as user portal-user');
    await expect(sasl.getByTestId('sasl-password').inputValue()).resolves.toBe('');
    await expect(sasl.getByTestId('sasl-username').inputValue()).resolves.toBe('portal-user');
    await form.getByTestId('endpoint-description').fill('Orders topic');
    await form.getByTestId('endpoint-submit').click();
    await page.getByTestId('toast').filter({ hasText: 'Changes saved' }).waitFor();
    await waitFor(async () => (await storedEndpoint(tenant, stored.id)).description === 'Orders topic', 15_000, 'the description saved');
    await expect(storedEndpoint(tenant, stored.id)).resolves.toMatchObject({ auth: { type: 'kafka_sasl', mechanism: 'scram-sha-256', username: 'portal-user' } });

    // Another user name without its password is not sent: the login is replaced as a whole, and the page never had the password.
    const version = Number((await storedEndpoint(tenant, stored.id)).version);
    await sasl.getByTestId('sasl-username').fill('someone-else');
    await form.getByTestId('endpoint-submit').click();
    await expect(sasl.locator('.field-error:visible').textContent()).resolves.toContain('Enter the password again');
    expect(Number((await storedEndpoint(tenant, stored.id)).version)).toBe(version);

    // Removing the login: None.
    await sasl.getByTestId('sasl-mechanism').selectOption('');
    await form.getByTestId('endpoint-submit').click();
    await page.getByTestId('toast').filter({ hasText: 'Changes saved' }).waitFor();
    await waitFor(async () => (await storedEndpoint(tenant, stored.id)).auth === null, 15_000, 'the SASL login removed');
    await page.getByTestId('endpoint-title').waitFor();
    expect(await page.getByTestId('endpoint-auth').count()).toBe(0);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  }, 60_000);

  it("finds messages by tag, from the filter or a message's tag, and charts all the endpoints' deliveries of the last 24 hours", async () => {
    const receiver = await startReceiver((req, res) => {
      res.writeHead(req.path === '/down' ? 500 : 200).end();
    });
    receivers.push(receiver);
    const { tenant, session } = await tenantWithSession('Tagged messages');
    const up = await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${receiver.url}/hook`, event_types: ['invoice.paid'] });
    const down = await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${receiver.url}/down`, event_types: ['customer.created'], retry_schedule_seconds: [1] });
    expect([up.status, down.status]).toEqual([201, 201]);
    const sent: string[] = [];
    for (const [type, tags] of [['invoice.paid', ['customer:cus_42', 'order#7']], ['invoice.paid', ['customer:cus_7']], ['customer.created', ['customer:cus_42']]] as const) {
      const message = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: type, payload: { invoice_id: 'in_t' }, tags });
      expect(message.status).toBe(202);
      sent.push(message.json.id as string);
    }
    // Two deliveries to /hook; the one to /down fails twice (its one retry a second later).
    await receiver.waitForRequests(4, 30_000);
    await waitFor(async () => ((await api('GET', `q:/v1/stats?tenant_id=${tenant}`)).json.totals as { attempts: number }).attempts === 4,
      30_000, 'the attempts counted');

    const { page, problems } = await openPage(session.url);
    const chart = page.getByTestId('tenant-chart');
    await expect(chart.getByTestId('delivery-chart-caption').textContent()).resolves.toBe('4 attempts in the last 24 hours, 2 failed');
    await expect(chart.getByTestId('chart-bar').count()).resolves.toBe(24);

    await page.getByTestId('nav-messages').click();
    const rows = page.getByTestId('message-row');
    await refreshUntil(page, rows, 3, 'the three messages', 'messages-refresh');
    // Read at once (source text: this project has no DOM types): row by row, a list drawn again meanwhile would lose rows.
    const shown = async () => ((await page.evaluate('[...document.querySelectorAll(\'[data-testid="message-row"]\')].map((tr) => tr.dataset.messageId)')) as string[]).sort();
    const tagFilter = page.getByTestId('filter-tag');
    await tagFilter.fill('customer:cus_42');
    await tagFilter.press('Enter');
    await waitFor(async () => (await shown()).join() === [sent[0], sent[2]].sort().join(), 15_000, 'the messages tagged customer:cus_42');
    // With the other filters: of those, only the invoice.
    await page.getByTestId('filter-event-type').selectOption('invoice.paid');
    await waitFor(async () => (await shown()).join() === sent[0], 15_000, 'the invoice tagged customer:cus_42');

    // A tag shown on a message filters by it.
    await page.getByTestId('filter-event-type').selectOption('');
    await tagFilter.fill('');
    await tagFilter.press('Enter');
    await waitFor(async () => (await shown()).length === 3, 15_000, 'every message again');
    await page.locator(`[data-testid="message-row"][data-message-id="${sent[1]}"]`).getByTestId('message-tag').click();
    await expect(tagFilter.inputValue()).resolves.toBe('customer:cus_7');
    await waitFor(async () => (await shown()).join() === sent[1], 15_000, 'the message tagged customer:cus_7');

    // The filter stays with the list: back from a message, it is still narrowed.
    await rows.first().getByTestId('message-open').click();
    await expect(page.getByTestId('message-id').textContent()).resolves.toBe(sent[1]);
    await page.goBack();
    await expect(tagFilter.inputValue()).resolves.toBe('customer:cus_7');
    await waitFor(async () => (await shown()).join() === sent[1], 15_000, 'the list still narrowed');

    // And a tag on a message's page lists the messages with it.
    await page.locator(`[data-testid="message-row"][data-message-id="${sent[1]}"]`).getByTestId('message-open').click();
    await page.getByTestId('message-tags').getByTestId('message-tag').filter({ hasText: 'customer:cus_7' }).click();
    await expect(tagFilter.inputValue()).resolves.toBe('customer:cus_7');
    await waitFor(async () => (await shown()).join() === sent[1], 15_000, 'the messages of the tag clicked');
    expect(await page.getByTestId('error-banner').isVisible()).toBe(false);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  }, 90_000);

  it("wears the operator's brand, and follows the browser's dark preference unless the link asks for a theme, across a reload", async () => {
    const { session } = await tenantWithSession('Dark mode');
    const withTheme = (theme: string) => session.url.replace('#', `?theme=${theme}#`);
    /** The page's theme, its background and its primary button's colours, as drawn (source text: this project has no DOM types). */
    const looks = (page: Page) => page.evaluate(`(() => {
      const button = document.querySelector('.btn-primary');
      return {
        theme: document.documentElement.dataset.theme,
        background: getComputedStyle(document.body).backgroundColor,
        button: button && getComputedStyle(button).backgroundColor,
      };
    })()`) as Promise<{ theme: string; background: string; button: string | null }>;
    const LIGHT_BG = 'rgb(245, 246, 248)';
    const DARK_BG = 'rgb(15, 20, 27)';

    const dark = await openPage(session.url, 'dark');
    await dark.page.getByTestId('tenant-name').filter({ hasText: 'Dark mode' }).waitFor();
    await expect(dark.page.title()).resolves.toBe('Acme Hooks');
    await expect(dark.page.getByTestId('brand-title').textContent()).resolves.toBe('Acme Hooks');
    // Drawn, not only in the markup: the CSP let the inline image load.
    await expect(dark.page.evaluate(`(() => { const img = document.querySelector('[data-testid="brand-logo"]'); return img.complete && img.naturalWidth; })()`))
      .resolves.toBe(60);
    await expect(looks(dark.page)).resolves.toEqual({ theme: 'dark', background: DARK_BG, button: expect.any(String) });
    // On the dark page the brand's green is lifted (brand.css), not the light page's #0a7d55.
    expect((await looks(dark.page)).button).not.toBe('rgb(10, 125, 85)');

    // The link's choice wins over the browser's, and outlives the reload that the token's removal from the address does not.
    const light = await openPage(withTheme('light'), 'dark');
    await light.page.getByTestId('tenant-name').filter({ hasText: 'Dark mode' }).waitFor();
    await expect(looks(light.page)).resolves.toEqual({ theme: 'light', background: LIGHT_BG, button: 'rgb(10, 125, 85)' });
    const forced = await openPage(withTheme('dark'), 'light');
    await forced.page.getByTestId('tenant-name').filter({ hasText: 'Dark mode' }).waitFor();
    await forced.page.reload();
    await forced.page.getByTestId('tenant-name').filter({ hasText: 'Dark mode' }).waitFor();
    await expect(looks(forced.page)).resolves.toMatchObject({ theme: 'dark', background: DARK_BG });
    for (const { problems } of [dark, light, forced]) expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  }, 60_000);

  it('shows a view-only session everything, with no control that changes anything, and refuses its token any change (403)', async () => {
    // One receiver for two endpoints: /hook takes its webhooks, /down refuses them all, so its delivery gives up.
    const receiver = await startReceiver((req, res) => {
      res.writeHead(req.path === '/down' ? 500 : 200).end();
    });
    receivers.push(receiver);
    const { tenant, session } = await tenantWithSession('View-only viewer', { read_only: true });
    expect(session.read_only).toBe(true);
    const endpoint = await api('POST', `/v1/tenants/${tenant}/endpoints`, {
      url: `${receiver.url}/hook`, description: 'Billing hooks', event_types: ['invoice.paid'],
      headers: { 'X-Api-Key': 'sk_view', 'X-Team': 'billing' }, rate_limit_per_second: 5,
    });
    const failing = await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${receiver.url}/down`, event_types: ['customer.created'], retry_schedule_seconds: [1] });
    expect([endpoint.status, failing.status]).toEqual([201, 201]);
    const endpointId = endpoint.json.id as string;
    const paid = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { invoice_id: 'in_view' } });
    const lost = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'customer.created', payload: { customer: 'cus_view' } });
    expect([paid.status, lost.status]).toEqual([202, 202]);
    const paidId = paid.json.id as string;
    const lostId = lost.json.id as string;
    // One delivery, and the two attempts of the one that gives up; the list the page reads first knows both endpoints.
    await receiver.waitForRequests(3, 30_000);
    expect((await api('GET', `q:/v1/endpoints?tenant_id=${tenant}&position=${failing.json.position as string}`)).status).toBe(200);

    const { page, problems } = await openPage(session.url);
    const row = page.locator(`[data-testid="endpoint-row"][data-endpoint-id="${endpointId}"]`);
    await row.waitFor();
    await expect(page.getByTestId('view-only-badge').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('view-only-badge').textContent()).resolves.toBe('View only');
    await expect(page.getByTestId('tenant-name').textContent()).resolves.toBe('View-only viewer');
    expect(await page.getByTestId('endpoint-row').count()).toBe(2);
    await expect(row.locator('.chip').allTextContents()).resolves.toEqual(['invoice.paid']);
    await expect(changeControlsShown(page)).resolves.toEqual([]);
    const actionColumns = page.getByRole('columnheader', { name: 'Action' });

    // The endpoint's page: its settings as text (a credential-like header's value as the API shows it), health and attempts.
    await row.getByTestId('endpoint-open').click();
    await expect(page.getByTestId('endpoint-title').textContent()).resolves.toBe(`${receiver.url}/hook`);
    const settings = page.getByTestId('endpoint-settings');
    await expect(settings.getByTestId('settings-url').textContent()).resolves.toBe(`${receiver.url}/hook`);
    await expect(settings.getByTestId('settings-description').textContent()).resolves.toBe('Billing hooks');
    await expect(settings.getByTestId('settings-event-types').locator('.chip').allTextContents()).resolves.toEqual(['invoice.paid']);
    await expect(settings.getByTestId('settings-header').allTextContents().then((h) => h.sort())).resolves.toEqual(['X-Api-Key: ****', 'X-Team: billing']);
    await expect(settings.getByTestId('settings-rate-limit').textContent()).resolves.toBe('5 webhooks per second');
    await expect(page.getByTestId('endpoint-health').textContent()).resolves.toContain('Success rate');
    const attempt = page.locator(`[data-testid="attempt-row"][data-message-id="${paidId}"]`);
    await refreshUntil(page, attempt, 1, 'the attempt in the endpoint details');
    await expect(attempt.getByTestId('attempt-outcome').textContent()).resolves.toBe('Succeeded');
    await expect(changeControlsShown(page)).resolves.toEqual([]);
    expect(await actionColumns.count()).toBe(0);

    // The message, from the list: its payload, its delivery and its attempt.
    await page.getByTestId('nav-messages').click();
    const message = page.locator(`[data-testid="message-row"][data-message-id="${paidId}"]`);
    await refreshUntil(page, message, 1, 'the message in the list', 'messages-refresh');
    await message.getByTestId('message-open').click();
    await expect(page.getByTestId('message-id').textContent()).resolves.toBe(paidId);
    expect(JSON.parse((await page.getByTestId('message-payload').textContent())!)).toEqual({ invoice_id: 'in_view' });
    const delivery = page.locator(`[data-testid="delivery-row"][data-endpoint-id="${endpointId}"]`);
    await expect(delivery.getByTestId('delivery-status').textContent()).resolves.toBe('Succeeded');
    await refreshUntil(page, attempt, 1, 'the attempt in the message details');
    await expect(changeControlsShown(page)).resolves.toEqual([]);
    expect(await actionColumns.count()).toBe(0);

    // The delivery that gave up, among the failed ones.
    await page.getByTestId('nav-failed').click();
    const failed = page.locator(`[data-testid="failed-row"][data-message-id="${lostId}"]`);
    await refreshUntil(page, failed, 1, 'the dead letter in the failed deliveries', 'failed-refresh');
    await expect(failed.getByTestId('failed-cause').textContent()).resolves.toBe('Every retry failed');
    await expect(changeControlsShown(page)).resolves.toEqual([]);
    expect(await actionColumns.count()).toBe(0);

    await page.getByTestId('nav-event-types').click();
    await page.getByTestId('event-type-list').waitFor();
    await expect(changeControlsShown(page)).resolves.toEqual([]);

    // The token itself may change nothing, whatever asks.
    for (const [method, path, body] of [
      ['PATCH', `/v1/tenants/${tenant}/endpoints/${endpointId}`, { description: 'changed' }],
      ['POST', `/v1/tenants/${tenant}/messages/${lostId}/resend`, { endpoint_id: failing.json.id }],
    ] as const) {
      const refused = await api(method, path, body, session.token);
      expect(refused.status).toBe(403);
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
      expect(refused.json.detail).toBe('this portal session is view-only: it may look, not change anything');
    }
    await expect(storedEndpoint(tenant, endpointId)).resolves.toMatchObject({ description: 'Billing hooks', status: 'enabled' });

    expect(await page.getByTestId('error-banner').isVisible()).toBe(false);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [] });
  }, 90_000);

  it("refuses the session's token what the page never asks: publishing a message (403 problem+json)", async () => {
    const { tenant, session } = await tenantWithSession('Forgery attempt');
    const forged = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'invoice.paid', payload: { forged: true } }, session.token);
    expect(forged.status).toBe(403);
    expect(forged.contentType).toMatch(/^application\/problem\+json/);
    expect(forged.json.detail).toEqual(expect.any(String));
  }, 60_000);

  it('shows an invalid or expired link as such, and one without a token as incomplete', async () => {
    const bogus = await openPage(`${COMMAND_URL}/portal#token=hk_live_${randomBytes(16).toString('hex')}`);
    const ended = bogus.page.getByTestId('session-ended');
    await ended.waitFor();
    await expect(ended.getAttribute('data-reason')).resolves.toBe('expired');
    await expect(ended.textContent()).resolves.toContain('Your session has expired');
    expect(await bogus.page.getByTestId('tenant-name').isVisible()).toBe(false);
    expect(bogus.page.url()).toBe(`${COMMAND_URL}/portal`);
    // The refused session call is the one console error Chromium reports here (its 401); nothing else went wrong.
    expect(bogus.problems.consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(bogus.problems.pageErrors).toEqual([]);

    const bare = await openPage(`${COMMAND_URL}/portal`);
    await expect(bare.page.getByTestId('session-ended').getAttribute('data-reason')).resolves.toBe('missing');
    await expect(bare.page.getByTestId('session-ended').textContent()).resolves.toContain('This link is incomplete or has expired');
    expect(bare.problems).toEqual({ consoleErrors: [], pageErrors: [] });
  }, 60_000);
});
