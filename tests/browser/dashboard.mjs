// The dashboard in headless Chromium: log in, navigate, search the inventory, take
// screenshots, and check that a script stored in a finding never runs.
// Usage: node dashboard.mjs BASE_URL TOKEN SCREENSHOT_DIR
import { chromium } from 'playwright-core';

const [base, token, out] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });

  await page.goto(`${base}/`);
  check(page.url().endsWith('/login'), `not sent to the login page: ${page.url()}`);
  await page.fill('input[name=token]', token);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button')]);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'jz_session');
  check(session && session.httpOnly && session.sameSite === 'Strict', `session cookie ${JSON.stringify(session)}`);
  check(await page.evaluate(() => document.cookie === ''), 'the session cookie is readable by scripts');
  await page.screenshot({ path: `${out}/overview.png`, fullPage: true });
  check((await page.textContent('h1')) === 'Overview', 'overview heading');

  await page.click('a[href="/teams/payments"]');
  await page.waitForURL(`${base}/teams/payments`);
  check((await page.textContent('h1')) === 'Team payments', 'team page');
  await page.screenshot({ path: `${out}/team.png`, fullPage: true });

  await page.click('a[href="/services/checkout"]');
  check((await page.textContent('body')).includes('NO-GO'), 'the service page shows the gate');
  await page.screenshot({ path: `${out}/service.png`, fullPage: true });

  await page.goto(`${base}/findings/1`);
  const title = await page.textContent('h1');
  check(title.includes('<script>'), `the hostile title is shown as text: ${title}`);
  check(await page.evaluate(() => window.__jobzero_xss === undefined), 'a stored script ran');
  await page.screenshot({ path: `${out}/finding.png`, fullPage: true });

  await page.goto(`${base}/inventory`);
  await page.fill('input[name=q]', 'log4j-core');
  await Promise.all([page.waitForURL(/inventory\?q=/), page.click('button:has-text("Search")')]);
  check((await page.textContent('table')).includes('checkout'), 'the inventory search finds the service');
  await page.screenshot({ path: `${out}/inventory.png`, fullPage: true });

  await page.goto(`${base}/review`);
  check((await page.textContent('body')).includes('Headline'), 'the review page');
  await page.screenshot({ path: `${out}/review.png`, fullPage: true });

  check(dialogs === 0, `${dialogs} dialogs opened: a stored script ran`);
} finally {
  await browser.close();
}
console.log(JSON.stringify({ ok: failures.length === 0, failures }));
process.exit(failures.length === 0 ? 0 : 1);
