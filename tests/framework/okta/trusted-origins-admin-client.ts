/**
 * The Trusted Origins admin API as tests call it: over HTTP with Playwright's `request`
 * fixture and the org's SSWS token, like an admin's script would. It remembers what it
 * created so a test can remove it again (`cleanUp`), whatever the test did in between.
 */
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';
import type { TrustedOrigin } from '../../../servers/okta-api/trusted-origins/store.js';

export type TrustedOriginJson = TrustedOrigin & {
  _links: Record<string, { href: string; hints: { allow: string[] } }>;
};

export interface OktaErrorJson {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

/** A POST/PUT body; loose on purpose, so tests can send what the API must refuse. */
export type TrustedOriginBody = Record<string, unknown>;

export class TrustedOriginsAdmin {
  private readonly created = new Set<string>();

  constructor(
    readonly request: APIRequestContext,
    readonly apiUrl: string,
    private readonly token: string,
  ) {}

  url(path = ''): string {
    return `${this.apiUrl}/api/v1/trustedOrigins${path}`;
  }

  get headers(): Record<string, string> {
    return { Authorization: `SSWS ${this.token}`, Accept: 'application/json' };
  }

  async createResponse(body: TrustedOriginBody): Promise<APIResponse> {
    const response = await this.request.post(this.url(), { headers: this.headers, data: body });
    if (response.ok()) this.created.add(((await response.json()) as TrustedOriginJson).id);
    return response;
  }

  listResponse(params: Record<string, string | number> = {}): Promise<APIResponse> {
    return this.request.get(this.url(), { headers: this.headers, params });
  }

  getResponse(id: string): Promise<APIResponse> {
    return this.request.get(this.url(`/${id}`), { headers: this.headers });
  }

  replaceResponse(id: string, body: TrustedOriginBody): Promise<APIResponse> {
    return this.request.put(this.url(`/${id}`), { headers: this.headers, data: body });
  }

  async deleteResponse(id: string): Promise<APIResponse> {
    const response = await this.request.delete(this.url(`/${id}`), { headers: this.headers });
    if (response.status() === 204) this.created.delete(id);
    return response;
  }

  lifecycleResponse(id: string, operation: 'activate' | 'deactivate'): Promise<APIResponse> {
    return this.request.post(this.url(`/${id}/lifecycle/${operation}`), { headers: this.headers });
  }

  // The same operations, expecting success and returning the parsed answer.
  async create(body: TrustedOriginBody): Promise<TrustedOriginJson> {
    return ok<TrustedOriginJson>(await this.createResponse(body), 200);
  }

  async list(params: Record<string, string | number> = {}): Promise<TrustedOriginJson[]> {
    return ok<TrustedOriginJson[]>(await this.listResponse(params), 200);
  }

  async get(id: string): Promise<TrustedOriginJson> {
    return ok<TrustedOriginJson>(await this.getResponse(id), 200);
  }

  async replace(id: string, body: TrustedOriginBody): Promise<TrustedOriginJson> {
    return ok<TrustedOriginJson>(await this.replaceResponse(id, body), 200);
  }

  async delete(id: string): Promise<void> {
    const response = await this.deleteResponse(id);
    expect(response.status(), await describe(response)).toBe(204);
  }

  async activate(id: string): Promise<TrustedOriginJson> {
    return ok<TrustedOriginJson>(await this.lifecycleResponse(id, 'activate'), 200);
  }

  async deactivate(id: string): Promise<TrustedOriginJson> {
    return ok<TrustedOriginJson>(await this.lifecycleResponse(id, 'deactivate'), 200);
  }

  /** Deletes whatever this client created and did not delete (already gone is fine). */
  async cleanUp(): Promise<void> {
    for (const id of [...this.created]) {
      const response = await this.deleteResponse(id);
      expect([204, 404], await describe(response)).toContain(response.status());
      this.created.delete(id);
    }
  }
}

async function describe(response: APIResponse): Promise<string> {
  return `${response.url()} answered ${response.status()}: ${await response.text()}`;
}

async function ok<T>(response: APIResponse, status: number): Promise<T> {
  expect(response.status(), await describe(response)).toBe(status);
  return (await response.json()) as T;
}

/** Okta's error body, checked whole: code, summary, causes, and the fields every error carries. */
export async function expectOktaError(
  response: APIResponse,
  status: number,
  errorCode: string,
  errorSummary: string | RegExp,
  causes?: (string | RegExp)[],
): Promise<OktaErrorJson> {
  expect(response.status(), await describe(response)).toBe(status);
  expect(response.headers()['content-type']).toMatch(/^application\/json/);
  const body = (await response.json()) as OktaErrorJson;
  expect(body).toEqual({
    errorCode,
    errorSummary: typeof errorSummary === 'string' ? errorSummary : expect.stringMatching(errorSummary),
    errorLink: errorCode,
    errorId: expect.stringMatching(/^oae/),
    errorCauses: causes === undefined ? expect.any(Array) : causes.map((c) => ({ errorSummary: typeof c === 'string' ? c : expect.stringMatching(c) })),
  });
  return body;
}
