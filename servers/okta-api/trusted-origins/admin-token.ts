/**
 * The org's API token, as Okta's admin APIs take it: `Authorization: SSWS <token>`.
 * Random per server start unless one is given. Compared in constant time (hashes of equal
 * length through timingSafeEqual), so response timing tells nothing about the token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { OktaErrors } from '../okta-errors.js';

/** Like Okta's: "00" and 40 URL-safe characters. */
function newAdminToken(): string {
  return `00${randomBytes(30).toString('base64url')}`;
}

const TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]{16,512}$/;
const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class AdminToken {
  private readonly digest: Buffer;

  constructor(readonly value: string = newAdminToken()) {
    if (!TOKEN_PATTERN.test(value)) {
      throw new Error('the admin API token must be 16 to 512 characters of letters, digits and . _ ~ + / = -');
    }
    this.digest = sha256(value);
  }

  /** Whether an Authorization header value carries this token. */
  matches(authorization: string | undefined): boolean {
    const presented = /^SSWS +(\S+) *$/i.exec(authorization ?? '')?.[1];
    // Hash even when absent, so every refusal costs the same.
    return timingSafeEqual(sha256(presented ?? ''), this.digest) && presented !== undefined;
  }

  /** Lets a request through only with this token; otherwise Okta's 401 E0000011. */
  readonly guard: RequestHandler = (req, res, next) => {
    if (this.matches(req.headers.authorization)) {
      next();
      return;
    }
    OktaErrors.invalidToken(res);
  };
}
