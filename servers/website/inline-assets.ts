/**
 * The website's own pages with their own stylesheets and scripts inline: one request per page
 * instead of three or four. Every test opens its page in a wiped cache, so each saved request is
 * paid on every test; measured on the matrix's probe page, ~20 ms a load in Chromium and
 * WebKitGTK and ~90 ms in Firefox. Libraries (/vendor/: jQuery, Okta's SDK) stay script tags
 * that load by URL, as on a real site, and every file is still served on its own (the probe's
 * frames and workers load cors-probe.js by URL).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const OWN_STYLESHEET = /<link rel="stylesheet" href="\/([\w-]+\.css)">/g;
const OWN_SCRIPT = /<script src="\/([\w-]+\.js)"><\/script>/g;

/** `page` (a file in `publicDir`) with each own stylesheet and script it names inline. */
export function withOwnAssetsInline(publicDir: string, page: string): string {
  const read = (name: string) => readFileSync(path.join(publicDir, name), 'utf8');
  return (
    read(page)
      .replace(OWN_STYLESHEET, (_tag, name: string) => `<style>\n${read(name)}</style>`)
      // A "</script" inside the script would end the element early.
      .replace(OWN_SCRIPT, (_tag, name: string) => `<script>\n${read(name).replace(/<\/script/gi, '<\\/script')}</script>`)
  );
}
