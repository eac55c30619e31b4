/**
 * An authorization server's signing key: RSA 2048 (never stored), published as a JWKS and used
 * to sign RS256 JWTs through `jose`. The pair is made on first use, off the event loop: an RSA
 * key costs 100-300 ms of CPU here, and most of a run's orgs (one per server set and topology,
 * two servers each) never sign a token; made when each org started, they cost every test worker
 * ~2 s of CPU before its first test (measured).
 */
import { generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { exportJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

const generateRsaPair = promisify(generateKeyPair);

export class SigningKey {
  /** Okta's key ids look like this: 43 URL-safe characters. */
  readonly kid = randomBytes(32).toString('base64url').slice(0, 43);
  private pair: Promise<{ privateKey: KeyObject; publicKey: KeyObject }> | undefined;
  private jwk: Promise<JWK> | undefined;

  private keys(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
    this.pair ??= generateRsaPair('rsa', { modulusLength: 2048 });
    return this.pair;
  }

  /** The public key as a JWKS entry, the way Okta's `keys` endpoint lists it. */
  publicJwk(): Promise<JWK> {
    this.jwk ??= this.keys()
      .then(({ publicKey }) => exportJWK(publicKey))
      .then((jwk) => ({ kty: jwk.kty, alg: 'RS256', kid: this.kid, use: 'sig', e: jwk.e, n: jwk.n }));
    return this.jwk;
  }

  async sign(claims: JWTPayload): Promise<string> {
    const { privateKey } = await this.keys();
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.kid }).sign(privateKey);
  }

  /**
   * The claims of a JWT this key signed for `issuer`, or undefined when the signature, issuer
   * or (unless `allowExpired`) lifetime does not hold.
   */
  async verify(token: string, issuer: string, now: number, allowExpired = false): Promise<JWTPayload | undefined> {
    const { publicKey } = await this.keys();
    try {
      const { payload } = await jwtVerify(token, publicKey, {
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
