// The sharing flow in a real browser (Debian's Chromium via playwright-core) against the real
// frontend bundle and three real profiles (browser_test.go starts them and reads the outcome):
// A publishes and shares with B; B finds it under Shared with me and downloads it; A makes a
// link that C opens; A revokes B and publishes a new version, which B does not get.
// Input: the FLOW environment variable (JSON). Output: one JSON line per step on stdout, the
// last one {"done": true, ...}.
import { chromium } from 'playwright-core';

const flow = JSON.parse(process.env.FLOW);
const step = (name, extra = {}) => console.log(JSON.stringify({ step: name, ...extra }));
const T = { timeout: flow.timeoutMs ?? 60000 };

// A fresh profile directory of the test's; never a browser download (executablePath).
const browser = await chromium.launchPersistentContext(flow.userDataDir, {
  executablePath: flow.chromium,
  headless: true,
  viewport: { width: 1200, height: 860 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const pages = {};
try {
  for (const who of ['a', 'b', 'c']) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`[${who}] page error: ${e.message}`));
    await page.goto(flow[who].url);
    await page.evaluate(() => window.__bridge.ready);
    pages[who] = page;
  }
  const { a, b, c } = pages;

  // First start: every profile asks for a new passphrase, in the window.
  for (const p of [a, b, c]) {
    const dlg = p.getByRole('dialog', { name: /passphrase/i });
    await dlg.waitFor(T);
    await dlg.getByLabel('Passphrase', { exact: true }).fill(flow.passphrase);
    await dlg.getByLabel('Type it again').fill(flow.passphrase);
    await dlg.getByLabel('Type it again').press('Enter');
  }
  for (const p of [a, b, c]) await p.getByRole('tab', { name: /My datasets/ }).waitFor(T);
  step('ready');

  // Approves the next approval dialog of page p; returns what it showed.
  // With keyboard, the Approve button is reached by focus and pressed with Enter.
  async function approve(p, keyboard = false) {
    const dlg = p.locator('[role=dialog], [role=alertdialog]').filter({ has: p.getByRole('button', { name: 'Approve', exact: true }) });
    await dlg.waitFor(T);
    const action = await dlg.getByTestId('action').textContent();
    const text = await dlg.textContent();
    const button = dlg.getByRole('button', { name: 'Approve', exact: true });
    if (keyboard) {
      await button.focus();
      await p.keyboard.press('Enter');
    } else {
      await button.click();
    }
    await dlg.waitFor({ state: 'detached', ...T });
    return { action, text };
  }

  // B registers its encryption key from the first-run offer, with the keyboard.
  const banner = b.getByTestId('key-banner');
  await banner.waitFor(T);
  await banner.getByRole('button', { name: 'Register my key' }).focus();
  await b.keyboard.press('Enter');
  const reg = await approve(b, true);
  await banner.waitFor({ state: 'detached', ...T });
  step('b registered its key', { approval: reg.action });

  // A is not asked again this session (it shares, it is not shared with).
  await a.getByTestId('key-banner').getByRole('button', { name: 'Not now' }).click();

  // B's account, copied from the status bar as a person would.
  await b.getByRole('button', { name: /^Account/ }).click();
  const bAccount = await b.evaluate(() => window.__bridge.clipboard);
  await c.getByRole('button', { name: /^Account/ }).click();
  const cAccount = await c.evaluate(() => window.__bridge.clipboard);

  // A publishes with the keyboard: Choose file…, then the form (Enter submits).
  await a.getByRole('button', { name: 'Choose file…' }).focus();
  await a.keyboard.press('Enter');
  await a.getByLabel('Name').waitFor(T);
  await a.getByLabel('Name').press('Enter');
  await approve(a, true);
  const row = a.getByTestId('dataset-row').filter({ hasText: flow.name });
  await row.getByTestId('status').filter({ hasText: 'published' }).waitFor(T);
  step('a published');

  // A shares with B: the address is checked as it is typed, Enter adds it, Share sends.
  await row.getByRole('button', { name: /Share and manage/ }).click();
  const panel = a.getByTestId('dataset-detail');
  await panel.waitFor(T);
  const addr = panel.getByLabel('Account address');
  await addr.pressSequentially(bAccount.slice(0, 10).toLowerCase() + 'X'); // a typo first
  await panel.getByTestId('address-check').filter({ hasText: /not an Ethereum address/ }).waitFor(T);
  await addr.fill('');
  await addr.pressSequentially(cAccount); // C never registered a key: said before any approval
  await panel.getByTestId('address-check').filter({ hasText: /has no DataShare encryption key/ }).waitFor(T);
  await addr.fill('');
  await addr.pressSequentially(bAccount);
  await panel.getByTestId('address-check').filter({ hasText: 'can receive it' }).waitFor(T);
  await addr.press('Enter');
  await panel.getByRole('button', { name: 'Share', exact: true }).focus();
  await a.keyboard.press('Enter');
  const shareApproval = await approve(a, true);
  await panel.getByTestId('grantees').filter({ hasText: bAccount }).waitFor(T);
  step('a shared with b', { approval: shareApproval.action, showsFee: /fee/i.test(shareApproval.text) });

  // A makes a share link (before the screenshot, so the panel shows one).
  await panel.getByLabel('Name of the new link (optional)').fill('for C');
  await panel.getByRole('button', { name: 'Make a link' }).click();
  await approve(a);
  const linkInput = panel.getByTestId('new-link').getByLabel('Link');
  await linkInput.waitFor(T);
  const link = await linkInput.inputValue();
  await panel.getByTestId('links').filter({ hasText: 'for C' }).waitFor(T);
  await panel.getByTestId('history').filter({ hasText: /received version 1/ }).waitFor(T);
  if (flow.screenshot) {
    await a.setViewportSize({ width: 1200, height: 1240 }); // the whole panel, as on a tall screen
    await a.screenshot({ path: flow.screenshot });
    await a.setViewportSize({ width: 1200, height: 860 });
  }
  step('a made a link', { qr: await panel.getByRole('img', { name: 'QR code of the share link' }).count() });

  // B: Shared with me lists it; B downloads it.
  await b.getByRole('tab', { name: /Shared with me/ }).click();
  const shared = b.getByTestId('shared-row').filter({ hasText: flow.name });
  await shared.waitFor(T);
  await shared.getByRole('button', { name: /^Download/ }).click();
  await b.getByText(`Downloaded “${flow.name}”`).first().waitFor(T);
  step('b downloaded');

  // C opens the link under Shared with me.
  await c.getByRole('tab', { name: /Shared with me/ }).click();
  await c.getByRole('textbox', { name: 'Share link' }).fill(link);
  await c.getByRole('textbox', { name: 'Share link' }).press('Enter');
  await c.getByText(/^Downloaded “/).first().waitFor(T);
  step('c opened the link');

  // A revokes B: the honest explanation first, then the offer to rotate the key.
  await panel.getByRole('button', { name: `Revoke ${bAccount}` }).click();
  const confirm = a.getByRole('alertdialog', { name: /Revoke/ });
  const explanation = await confirm.textContent();
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await approve(a);
  const note = panel.getByTestId('revoke-note');
  await note.waitFor(T);
  await panel.getByTestId('revoked').filter({ hasText: bAccount }).waitFor(T);
  step('a revoked b', { explanation, note: await note.textContent() });

  // A publishes a new version from the offer (the chooser answers with the new file): the
  // update and the re-grant to the link are approved.
  await note.getByRole('button', { name: /Publish a new version now/ }).click();
  await approve(a);
  await approve(a);
  await a.getByText(`New version of “${flow.name}”`).first().waitFor(T);
  await panel.getByTestId('history').filter({ hasText: 'New version 2' }).waitFor(T);
  step('a published version 2');

  // B still lists version 1 only: the new key never reached it.
  await b.getByRole('tab', { name: /My datasets/ }).click();
  await b.getByRole('tab', { name: /Shared with me/ }).click();
  const version = await b.getByTestId('shared-row').filter({ hasText: flow.name }).locator('td').nth(2).textContent();
  console.log(JSON.stringify({ done: true, bAccount, bVersion: version.trim() })); // the link stays out of the output (it is a secret)
} catch (e) {
  for (const [who, p] of Object.entries(pages)) {
    try {
      if (flow.failShots) await p.screenshot({ path: `${flow.failShots}/${who}.png`, fullPage: true });
      console.error(`[${who}] page text at failure:\n${(await p.locator('body').textContent()).slice(0, 3000)}`);
    } catch {}
  }
  console.error(e.stack ?? String(e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
