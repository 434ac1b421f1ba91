/**
 * One Salesforce REST error: HTTP status plus the body element Salesforce sends,
 * `{"message","errorCode","fields"}`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }

  toBody(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [
      this.fields.length > 0
        ? { message: this.message, errorCode: this.errorCode, fields: this.fields }
        : { message: this.message, errorCode: this.errorCode },
    ];
  }
}

export const sessionInvalid = (): SalesforceApiError =>
  new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const notFound = (message = 'The requested resource does not exist'): SalesforceApiError =>
  new SalesforceApiError(404, 'NOT_FOUND', message);

export const malformedQuery = (message: string): SalesforceApiError =>
  new SalesforceApiError(400, 'MALFORMED_QUERY', message);

export const invalidField = (message: string, fields: string[] = []): SalesforceApiError =>
  new SalesforceApiError(400, 'INVALID_FIELD', message, fields);

export const invalidType = (sObjectType: string): SalesforceApiError =>
  new SalesforceApiError(
    400,
    'INVALID_TYPE',
    `sObject type '${sObjectType}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const requestLimitExceeded = (): SalesforceApiError =>
  new SalesforceApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
