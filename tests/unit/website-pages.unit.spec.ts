/**
 * The website's pages as served: their own stylesheets and scripts inline (one request a page),
 * the libraries still script tags by URL, and every file still served on its own.
 */
import { expect, test } from '@playwright/test';
import { listen, type Listening } from '../../servers/listen.js';
import { createWebsite } from '../../servers/website/app.js';

let site: Listening;
test.beforeAll(async () => {
  site = await listen(createWebsite());
});
test.afterAll(async () => {
  await site.close();
});

async function served(path: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`${site.url}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** The tags that would load one of the site's own files by URL (the libraries live under /vendor/). */
const ownAssetTags = (html: string) => html.match(/<(?:script src|link rel="stylesheet" href)="\/(?!vendor\/)[^"]*"/g) ?? [];

for (const [path, library] of [
  ['/', '/vendor/jquery/jquery.min.js'],
  ['/probe.html', undefined],
  ['/sdk.html', '/vendor/okta-auth-js/okta-auth-js.min.js'],
  ['/login/callback?code=abc&state=xyz', '/vendor/okta-auth-js/okta-auth-js.min.js'],
] as const) {
  test(`${path} is one document: its own stylesheets and scripts inline, libraries by URL`, async () => {
    const page = await served(path);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(ownAssetTags(page.body)).toEqual([]);
    expect(page.body).toContain('<style>');
    if (library !== undefined) expect(page.body).toContain(`<script src="${library}"></script>`);
  });
}

test("the probe's inline script cannot end early, and its file is still served for its frames and workers", async () => {
  const page = await served('/probe.html');
  const script = await served('/cors-probe.js');
  expect(script.status).toBe(200);
  expect(script.body).toContain('</script>');
  // The one "</script" left in the page closes the inline script itself.
  const inline = page.body.slice(page.body.indexOf('<script>\n') + '<script>\n'.length, page.body.lastIndexOf('</script>'));
  expect(inline).not.toMatch(/<\/script/i);
  expect(inline.replace(/<\\\/script/gi, '</script')).toBe(script.body);
});
