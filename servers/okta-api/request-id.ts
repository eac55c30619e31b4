/** Every Okta response carries X-Okta-Request-Id; clients quote it when reporting problems. */
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

export const requestId: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Okta-Request-Id', randomBytes(15).toString('base64url'));
  next();
};
