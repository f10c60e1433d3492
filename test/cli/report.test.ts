import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runIbvf } from './run.js';

/** Debian's chromium (.ci/apt-packages.txt), which playwright-core drives. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe('ibvf report', () => {
  it('writes one self-contained page: no external script, style or image', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ibvf-report-')), 'r.html');
    const { code } = await runIbvf('report', '--out', file, '--sizes', '1:64');
    expect(code).toBe(0);
    const html = readFileSync(file, 'utf8');
    // The page's own markup, the inlined libraries' code left out.
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    expect(markup.match(/<(script|img|link|iframe)\b[^>]*\b(src|href)=/i)).toBeNull();
    expect(html.includes('vegaEmbed(')).toBe(true);
    expect(markup.match(/<td>[^<]*\.L<\/td>/g)?.length).toBeGreaterThan(1);
    // The built-in profile's fit, row by row: the paper's 2 B verbs send on a VF, 1.53 us.
    expect(markup).toMatch(/<tr><td>send-2-vf<\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>1\.53 us<\/td>/);
  });

  it('refuses a name that is not .html', async () => {
    const { code, err } = await runIbvf('report', '--out', 'r.pdf');
    expect(code).toBe(2);
    expect(err).toBe('ibvf: --out r.pdf: the report is HTML; name it *.html\n');
  });

  it.skipIf(!CHROMIUM)(
    'renders in headless Chromium with no console errors, and the collective drop-down redraws it',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'ibvf-report-')), 'r.html');
      expect((await runIbvf('report', '--out', file, '--sizes', '1:64')).code).toBe(0);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(String(e)));
        // Offline: any request that leaves the page fails the test.
        await page.route(/^(?!file:)/, (route) => {
          errors.push(`network request: ${route.request().url()}`);
          return route.abort();
        });
        await page.goto(pathToFileURL(file).href);
        await page.waitForSelector('body[data-rendered="yes"]', { timeout: 20000 });
        // The legend the layout selection is bound to: one entry per layout.
        expect(await page.locator('#whatif svg .role-legend-symbol path').count()).toBe(5);
        const lines = await page.locator('#whatif svg path[aria-roledescription="line mark"]').count();
        expect(lines).toBeGreaterThan(0);
        const before = await page.locator('#whatif svg').innerHTML();
        await page.selectOption('#whatif select', 'bcast');
        await page.waitForTimeout(300);
        expect(await page.locator('#whatif svg').innerHTML()).not.toBe(before);
        // The assumption chart: bars for every layout, redrawn for another assumption.
        expect(
          await page.locator('#assumptions svg path[aria-roledescription="bar"]').count(),
        ).toBeGreaterThan(0);
        const fields = await page.locator('#assumptions select').nth(1).locator('option').allTextContents();
        expect(fields.length).toBeGreaterThan(1);
        const bars = await page.locator('#assumptions svg').innerHTML();
        await page.locator('#assumptions select').nth(1).selectOption(fields[1]);
        await page.waitForTimeout(300);
        expect(await page.locator('#assumptions svg').innerHTML()).not.toBe(bars);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60000,
  );
});
