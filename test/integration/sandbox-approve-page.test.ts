import { describe, expect, it, onTestFinished } from 'vitest';
import { launchChromium, screenshot, watchForErrors } from '../support/chromium';
import { authorizeUrl, callbackListener, pkce, sandbox, tokenRequest } from '../support/sandbox-file360';

describe('File 360 sandbox approve page in a real browser', () => {
  it('lets a person sign in with the keyboard and mouse, with its styles allowed by the CSP and the redirect by form-action', async ({ skip }) => {
    const browser = await launchChromium(skip);
    if (!browser) return;
    onTestFinished(() => browser.close());
    const sb = await sandbox();
    const { verifier, challenge } = pkce();
    const callback = await callbackListener();
    onTestFinished(callback.close);
    const page = await browser.newPage();
    const problems = watchForErrors(page);

    await page.goto(authorizeUrl(sb, { redirect_uri: callback.redirectUri, code_challenge: challenge, state: 'browser-state' }));
    expect(await page.title()).toBe('Sign in to File 360 (sandbox)');
    // The inline stylesheet applied: the Allow button is the blue one.
    expect(await page.getByRole('button', { name: 'Allow' }).evaluate((button) => getComputedStyle(button).backgroundColor)).toBe('rgb(29, 78, 216)');
    await page.getByLabel('Username').fill('ana');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Allow' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong username or password');
    await page.getByLabel('Password').fill('ana-password');
    await screenshot(page, 'sandbox-file360-approve-page');
    await page.getByRole('button', { name: 'Allow' }).click();

    const params = await callback.received;
    expect(params.get('state')).toBe('browser-state');
    const response = await tokenRequest(sb, { grant_type: 'authorization_code', code: params.get('code') ?? '', redirect_uri: callback.redirectUri, code_verifier: verifier });
    expect(response.status).toBe(200);
    expect(problems).toEqual([]);
  });
});
