/**
 * Logging in to the engine's web apps (Cockpit, Tasklist) in Chromium, as staff do: user name, password, Enter.
 */
import type { Page } from 'playwright-core';

import { LOCAL_STAFF_PASSWORD } from '../../src/main.js';
import { eventually } from './eventually.js';

/**
 * Opens `url`, waits for the login form and logs in there as `user` with the local staff password; resolves once
 * the form is gone.
 *
 * On a busy machine the web app's script can render its login form again after the first fill, emptying it, so
 * that Enter sends nothing (seen in CI: 120 s on an unchanged form). Each try therefore fills both fields again
 * before it presses Enter.
 */
export async function logInToWebapp(page: Page, url: string, user: string): Promise<void> {
  await page.goto(url);
  const name = page.locator('input[type="text"]').first();
  const password = page.locator('input[type="password"]');
  await password.waitFor({ state: 'visible', timeout: 120_000 });
  await eventually(
    `the web app login of ${user} to go through`,
    async () => {
      try {
        if ((await password.count()) > 0) {
          await name.fill(user, { timeout: 5_000 });
          await password.fill(LOCAL_STAFF_PASSWORD, { timeout: 5_000 });
          await password.press('Enter', { timeout: 5_000 });
          await password.waitFor({ state: 'detached', timeout: 10_000 });
        }
        // Gone for good, not only while the form is rendered again.
        await page.waitForTimeout(1_000);
        return (await password.count()) === 0 ? true : undefined;
      } catch {
        // The form was replaced or did not take the Enter yet: the next try fills it again.
        return undefined;
      }
    },
    { timeoutMs: 120_000, pauseMs: 1_000 },
  );
}
