import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { UnsupportedMediaTypeError, ValidationError } from '../../../shared/domain/errors';
import { parseBody } from '../../../shared/http/json';

const event = (body: string, contentType?: string) =>
  ({
    body,
    isBase64Encoded: false,
    headers: contentType ? { 'content-type': contentType } : {},
  }) as unknown as APIGatewayProxyEventV2;
const schema = z.strictObject({ name: z.string(), tags: z.array(z.string()) });
const issues = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
};

describe('parseBody', () => {
  test.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/merge-patch+json',
    undefined,
  ])('reads a body of %s', (contentType) => {
    expect(parseBody(event('{"name":"a","tags":[]}', contentType), schema)).toEqual({ name: 'a', tags: [] });
  });

  test.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses a body of %s with 415 naming its type',
    (contentType) => {
      expect(() => parseBody(event('{"name":"a","tags":[]}', contentType), schema)).toThrow(
        UnsupportedMediaTypeError,
      );
      expect(() => parseBody(event('{"name":"a","tags":[]}', contentType), schema)).toThrow(
        `The body is ${contentType.split(';')[0]}; this API reads application/json`,
      );
    },
  );

  test('a missing field is "required"; a value of the wrong type says what came', () => {
    expect(issues(() => parseBody(event('{"tags":{}}', 'application/json'), schema))).toEqual([
      { path: 'name', message: 'is required' },
      { path: 'tags', message: 'Invalid input: expected array, received object' },
    ]);
    expect(issues(() => parseBody(event('[1]', 'application/json'), schema))).toEqual([
      { path: '(body)', message: 'Invalid input: expected object, received array' },
    ]);
  });
});
