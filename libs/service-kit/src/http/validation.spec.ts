import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { ProblemError } from './problem';
import { ShallowDto, createValidationPipe, validateDto } from './validation';

@ShallowDto()
class Publish {
  @IsString()
  event_type!: string;

  @IsObject()
  payload!: Record<string, unknown>;

  @IsOptional()
  @IsString({ each: true })
  channels?: string[];
}

class Limits {
  @IsInt()
  per_second!: number;
}

class Endpoint {
  @IsString()
  url!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => Limits)
  limits?: Limits;
}

// What a JSON body parser hands over: own keys named like prototype machinery are data there.
const PAYLOAD_TEXT = '{"car":{"constructor":"Ford","prototype":true,"__proto__":{"polluted":1}},"list":[{"constructor":2}]}';
const body = () => ({ event_type: 'car.built', payload: JSON.parse(PAYLOAD_TEXT) as Record<string, unknown>, channels: ['eu'] });

async function problemOf(work: Promise<unknown>): Promise<ProblemError> {
  const err = await work.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ProblemError);
  return err as ProblemError;
}

describe.each([
  ['validateDto (gRPC and other adapters)', (plain: unknown) => validateDto(Publish, plain)],
  ['the REST pipe', (plain: unknown) => createValidationPipe().transform(plain, { type: 'body', metatype: Publish }) as Promise<Publish>],
])('a ShallowDto through %s', (_name, check) => {
  it('keeps a payload exactly as sent, keys named constructor, prototype and __proto__ included, and changes no prototype', async () => {
    const sent = body();
    const dto = await check(sent);

    expect(dto).toBeInstanceOf(Publish);
    expect(dto.payload).toBe(sent.payload);
    expect(JSON.stringify(dto.payload)).toBe(PAYLOAD_TEXT);
    expect(Object.getPrototypeOf((dto.payload as { car: object }).car)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses unknown and invalid fields, each with its pointer', async () => {
    const err = await problemOf(check({ ...body(), event_type: 7, payload: [1], bogus: true }));

    expect(err.kind).toBe('validation');
    expect(err.errors.map((e) => e.pointer).sort()).toEqual(['/bogus', '/event_type', '/payload']);
  });

  it('refuses top-level keys named __proto__ or constructor without assigning them', async () => {
    const sent = JSON.parse('{"event_type":"x","payload":{},"__proto__":{"event_type":1},"constructor":"Object"}') as unknown;
    const err = await problemOf(check(sent));

    expect(err.errors).toEqual([
      { pointer: '/__proto__', detail: 'property __proto__ should not exist' },
      { pointer: '/constructor', detail: 'property constructor should not exist' },
    ]);
  });

  it.each([['an array', [body()]], ['null', null], ['a string', '{"event_type":"x"}']])('refuses %s as the body', async (_what, sent) => {
    const err = await problemOf(check(sent));
    expect(err.errors).toEqual([{ pointer: '', detail: 'the request body must be a JSON object' }]);
  });
});

describe('a DTO without ShallowDto', () => {
  it('still goes through class-transformer, so nested DTO classes are built and validated', async () => {
    const dto = await validateDto(Endpoint, { url: 'https://example.com/', limits: { per_second: 5 } });
    expect(dto.limits).toBeInstanceOf(Limits);

    const err = await problemOf(createValidationPipe().transform({ url: 'https://example.com/', limits: { per_second: 'x' } }, { type: 'body', metatype: Endpoint }));
    expect(err.errors).toEqual([{ pointer: '/limits/per_second', detail: expect.stringMatching(/integer/) }]);
  });
});
