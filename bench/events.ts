import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The event API Gateway delivers for POST /salesforce/outbound/{siteId}/{secret}. */
export function httpApiEventFor(siteId: string, secret: string, body: string): APIGatewayProxyEventV2 {
  const path = `/salesforce/outbound/${siteId}/${secret}`;
  return {
    version: '2.0',
    routeKey: 'POST /salesforce/outbound/{siteId}/{secret}',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    pathParameters: { siteId, secret },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: '127.0.0.1',
      domainPrefix: 'bench',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'Salesforce' },
      requestId: 'bench',
      routeKey: 'POST /salesforce/outbound/{siteId}/{secret}',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}
