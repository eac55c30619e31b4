/**
 * An authorization server's signing key: RSA 2048, made when the server starts (never stored),
 * published as a JWKS and used to sign RS256 JWTs through `jose`.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { exportJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export class SigningKey {
  /** Okta's key ids look like this: 43 URL-safe characters. */
  readonly kid = randomBytes(32).toString('base64url').slice(0, 43);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private jwk: Promise<JWK> | undefined;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** The public key as a JWKS entry, the way Okta's `keys` endpoint lists it. */
  publicJwk(): Promise<JWK> {
    this.jwk ??= exportJWK(this.publicKey).then((jwk) => ({ kty: jwk.kty, alg: 'RS256', kid: this.kid, use: 'sig', e: jwk.e, n: jwk.n }));
    return this.jwk;
  }

  sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.kid }).sign(this.privateKey);
  }

  /**
   * The claims of a JWT this key signed for `issuer`, or undefined when the signature, issuer
   * or (unless `allowExpired`) lifetime does not hold.
   */
  async verify(token: string, issuer: string, now: number, allowExpired = false): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer,
        algorithms: ['RS256'],
        currentDate: new Date(now),
        ...(allowExpired ? { maxTokenAge: undefined, clockTolerance: Number.MAX_SAFE_INTEGER } : {}),
      });
      return payload;
    } catch {
      return undefined;
    }
  }
}
