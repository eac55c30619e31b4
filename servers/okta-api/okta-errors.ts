/**
 * Okta's error body: every failed API call answers with this shape, so clients (and the
 * seed's jQuery sample, which reads `errorSummary`) see what a real org would send.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { isRecord } from '../util/is-record.js';

interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

function oktaErrorBody(errorCode: string, errorSummary: string, causes: string[] = []): OktaErrorBody {
  return {
    errorCode,
    errorSummary,
    errorLink: errorCode,
    errorId: `oae${randomBytes(11).toString('base64url')}`,
    errorCauses: causes.map((cause) => ({ errorSummary: cause })),
  };
}

export function sendOktaError(
  res: Response,
  status: number,
  errorCode: string,
  errorSummary: string,
  causes: string[] = [],
): void {
  res.status(status).json(oktaErrorBody(errorCode, errorSummary, causes));
}

/** The errors this mock sends, named as Okta documents them. */
export const OktaErrors = {
  invalidSession: (res: Response) => sendOktaError(res, 403, 'E0000005', 'Invalid session'),
  invalidToken: (res: Response) => sendOktaError(res, 401, 'E0000011', 'Invalid token provided'),
  notFound: (res: Response, what = 'Resource not found') =>
    sendOktaError(res, 404, 'E0000007', `Not found: ${what}`),
  malformedBody: (res: Response, detail: string) =>
    sendOktaError(res, 400, 'E0000003', 'The request body was not well-formed.', [detail]),
  methodNotAllowed: (res: Response, method: string) =>
    sendOktaError(res, 405, 'E0000022', 'The endpoint does not support the provided HTTP method', [
      `${method} is not supported here`,
    ]),
  validationFailed: (res: Response, field: string, causes: string[]) =>
    sendOktaError(res, 400, 'E0000001', `Api validation failed: ${field}`, causes),
} as const;

/**
 * The JSON object body of a POST/PUT, or undefined after Okta's E0000003 answer; `expected`
 * says what to send, e.g. 'Send the trusted origin as a JSON object'.
 */
export function jsonObjectBody(req: Request, res: Response, expected: string): Record<string, unknown> | undefined {
  // Checked by type, not by req.body alone: another router may have parsed a form.
  if (req.is('application/json') === false || req.body === undefined) {
    OktaErrors.malformedBody(res, `${expected} with Content-Type: application/json`);
    return undefined;
  }
  if (isRecord(req.body)) return req.body;
  OktaErrors.malformedBody(res, 'The body must be a JSON object, not a list or a single value');
  return undefined;
}
