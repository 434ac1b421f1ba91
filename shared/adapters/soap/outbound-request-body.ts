import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  InvalidOutboundMessageError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../domain/errors';

/**
 * The text of an outbound message's HTTP body. Salesforce posts SOAP 1.1 as
 * `text/xml; charset=utf-8`, uncompressed; a body in another media type, charset or content
 * coding is no outbound message, and reading it as one would store garbage, so it is refused
 * with 415 naming what came. A body API Gateway hands over base64-encoded (a binary media type,
 * or bytes that are no UTF-8) is decoded strictly: bytes that are not UTF-8 are refused, never
 * replaced by U+FFFD.
 */
const XML_TYPES: ReadonlySet<string> = new Set(['text/xml', 'application/xml', 'application/soap+xml']);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function outboundBodyText(event: APIGatewayProxyEventV2, maxBytes: number): string {
  const headers = event.headers ?? {};
  const coding = headers['content-encoding']?.trim().toLowerCase();
  if (coding && coding !== 'identity') {
    throw new UnsupportedMediaTypeError(
      `The body has Content-Encoding ${coding}; outbound messages are sent uncompressed`,
    );
  }
  const contentType = headers['content-type'];
  if (contentType !== undefined) {
    const [type = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
    if (!XML_TYPES.has(type)) {
      throw new UnsupportedMediaTypeError(
        `The body is ${type || 'of no media type'}; outbound messages are text/xml (SOAP 1.1)`,
      );
    }
    const charset = parameters
      .find((p) => p.startsWith('charset='))
      ?.slice('charset='.length)
      .replace(/"/g, '');
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw new UnsupportedMediaTypeError(`The body is in charset ${charset}; outbound messages are UTF-8`);
    }
  }

  const body = event.body ?? '';
  if (!event.isBase64Encoded) return body;
  if (body.length > Math.ceil(maxBytes / 3) * 4 + 4) {
    throw new PayloadTooLargeError(
      `The message is larger than ${maxBytes} bytes, the most this endpoint accepts`,
    );
  }
  try {
    return strictUtf8.decode(Buffer.from(body, 'base64'));
  } catch (error) {
    throw new InvalidOutboundMessageError(
      'The body is not valid UTF-8; outbound messages are UTF-8 encoded',
      {
        cause: error,
      },
    );
  }
}
