import { ProblemError } from '@hookline/service-kit';
import { openApiDocumentOf } from './openapi-text';

const problemOf = (run: () => unknown): ProblemError => {
  try {
    run();
  } catch (err) {
    if (err instanceof ProblemError) return err;
    throw err;
  }
  throw new Error('no problem raised');
};

describe('openApiDocumentOf', () => {
  it('reads an OpenAPI document written in YAML, anchors included, as the JSON it stands for', () => {
    const yaml = [
      'openapi: 3.1.0',
      'info: { title: Billing, version: "1.0" }',
      'webhooks:',
      '  invoice.paid:',
      '    post:',
      '      description: An invoice was paid',
      '      requestBody:',
      '        content:',
      '          application/json:',
      '            schema: &invoice',
      '              type: object',
      '              required: [id, amount]',
      '              properties:',
      '                id: { type: string }',
      '                amount: { type: integer, minimum: 0 }',
      '  invoice.voided:',
      '    post:',
      '      requestBody: { content: { application/json: { schema: *invoice } } }',
    ].join('\n');
    const doc = openApiDocumentOf(yaml, '/spec') as { info: unknown; webhooks: Record<string, { post: { requestBody: unknown } }> };
    expect(doc.info).toEqual({ title: 'Billing', version: '1.0' });
    const schema = { type: 'object', required: ['id', 'amount'], properties: { id: { type: 'string' }, amount: { type: 'integer', minimum: 0 } } };
    expect(doc.webhooks['invoice.paid'].post.requestBody).toEqual({ content: { 'application/json': { schema } } });
    expect(doc.webhooks['invoice.voided'].post.requestBody).toEqual({ content: { 'application/json': { schema } } });
  });

  it('reads JSON text as JSON, and passes a document given as an object through untouched', () => {
    const object = { openapi: '3.1.0', webhooks: { 'a.b': { post: {} } } };
    expect(openApiDocumentOf(JSON.stringify(object), '/spec')).toEqual(object);
    expect(openApiDocumentOf(object, '/spec')).toBe(object);
  });

  it('refuses what is not one YAML mapping, naming the field, the line and the column', () => {
    const broken = problemOf(() => openApiDocumentOf('openapi: 3.1.0\nwebhooks:\n  a: [1, 2\n', '/spec'));
    expect(broken.kind).toBe('validation');
    expect(broken.errors[0]).toEqual({ pointer: '/spec', detail: expect.stringMatching(/ at line 4, column 1$/) });
    expect(problemOf(() => openApiDocumentOf('openapi: 3.1.0\nopenapi: 3.0.0\n', '/spec_json')).errors[0])
      .toEqual({ pointer: '/spec_json', detail: expect.stringMatching(/unique/i) });
    expect(problemOf(() => openApiDocumentOf('a: 1\n---\nb: 2\n', '/spec')).errors[0].detail).toMatch(/document/i);
    expect(problemOf(() => openApiDocumentOf('- just\n- a list\n', '/spec')).errors).toEqual([{ pointer: '/spec', detail: 'not a mapping' }]);
    expect(problemOf(() => openApiDocumentOf('', '/spec')).errors).toEqual([{ pointer: '/spec', detail: 'not a mapping' }]);
  });

  it('refuses values JSON cannot hold, where they are, and an anchor expanded past its bound (a "billion laughs")', () => {
    expect(problemOf(() => openApiDocumentOf('webhooks:\n  a/b:\n    max: .inf\n', '/spec')).errors)
      .toEqual([{ pointer: '/spec/webhooks/a~1b/max', detail: 'Infinity is not a JSON number' }]);
    expect(problemOf(() => openApiDocumentOf('x: "\\0"\n', '/spec')).errors[0].pointer).toBe('/spec/x');
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
      const prev = String.fromCharCode('a'.charCodeAt(0) + i);
      laughs.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(problemOf(() => openApiDocumentOf(laughs.join('\n'), '/spec')).kind).toBe('validation');
  });
});
