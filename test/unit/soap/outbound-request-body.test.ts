import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { outboundBodyText } from '../../../shared/adapters/soap/outbound-request-body';
import {
  InvalidOutboundMessageError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../../shared/domain/errors';

const event = (headers: Record<string, string>, body: string, isBase64Encoded = false) =>
  ({ headers, body, isBase64Encoded }) as unknown as APIGatewayProxyEventV2;
const read = (headers: Record<string, string>, body = '<x/>', base64 = false) =>
  outboundBodyText(event(headers, body, base64), 1024);

describe('outboundBodyText', () => {
  test.each([
    ['Salesforce’s own', { 'content-type': 'text/xml; charset=utf-8' }],
    ['no content type', {}],
    ['application/xml without a charset', { 'content-type': 'application/xml' }],
    [
      'SOAP 1.2’s type, charset quoted and upper case',
      { 'content-type': 'application/soap+xml; charset="UTF-8"' },
    ],
    ['identity coding', { 'content-type': 'text/xml', 'content-encoding': 'identity' }],
  ])('reads %s', (_name, headers) => {
    expect(read(headers)).toBe('<x/>');
  });

  test.each([
    [
      { 'content-type': 'application/json' },
      /The body is application\/json; outbound messages are text\/xml/,
    ],
    [{ 'content-type': 'text/xml; charset=iso-8859-1' }, /charset iso-8859-1; outbound messages are UTF-8/],
    [
      { 'content-type': 'text/xml', 'content-encoding': 'gzip' },
      /Content-Encoding gzip; outbound messages are sent uncompressed/,
    ],
  ])('refuses %j with 415 naming it', (headers, reason) => {
    expect(() => read(headers)).toThrow(UnsupportedMediaTypeError);
    expect(() => read(headers)).toThrow(reason);
  });

  test('a base64 body is decoded strictly: UTF-8 is read, other bytes are refused, not replaced', () => {
    const utf8 = Buffer.from('<x>Café 😀</x>').toString('base64');
    expect(read({ 'content-type': 'text/xml' }, utf8, true)).toBe('<x>Café 😀</x>');
    const latin1 = Buffer.from('<x>Café</x>', 'latin1').toString('base64');
    expect(() => read({ 'content-type': 'text/xml' }, latin1, true)).toThrow(InvalidOutboundMessageError);
    expect(() => read({ 'content-type': 'text/xml' }, latin1, true)).toThrow(/not valid UTF-8/);
  });

  test('an oversized base64 body is refused before it is decoded', () => {
    expect(() => read({}, 'A'.repeat(2000), true)).toThrow(PayloadTooLargeError);
  });
});
