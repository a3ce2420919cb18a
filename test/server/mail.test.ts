import { createServer, type AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, TEST_PASSWORD } from '../support/accounts';
import { findChromium, launchChromium, newPerson } from '../support/browser';
import { rawQuery } from '../support/database';
import { client } from '../support/http';
import { type StartedServer, startServer } from '../support/server';
import { Inbox, type Mail } from '../support/smtp';

/** A port free right now, for a server that must know its own address before it starts (its links). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

const chromiumPath = findChromium();

/** A real SMTP server in this process receives every e-mail; the invite's link is followed in a browser. */
describe('e-mail notifications', { timeout: 180_000 }, () => {
  const smtp = new Inbox();
  const inbox = smtp.mails;
  let server: StartedServer;
  let browser: Browser | undefined;
  const mailsTo = (address: string) => smtp.to(address);
  const linkIn = (mail: Mail) => /(http:\/\/\S+\/accept-invite\?invite=\S+)/.exec(mail.text)?.[1] as string;

  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    const port = await freePort();
    server = await startServer({
      env: {
        PORT: String(port),
        SEATLOCK_PUBLIC_URL: `http://127.0.0.1:${port}`,
        SEATLOCK_SMTP_URL: smtpUrl,
        SEATLOCK_MAIL_FROM: 'Seatlock <licensing@vendor.example>',
        SEATLOCK_OUTBOX_POLL_MS: '100',
      },
    });
    if (chromiumPath) browser = await launchChromium(chromiumPath);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp.stop();
  });

  it('invites by e-mail (in each person’s language), tells staff of applications and customers of decisions, and never mails a secret but the invite’s own link', async () => {
    const admin = client(server.url, server.adminToken);
    const customer = await admin.post('/v1/customers', { name: '杭州视觉' });
    const buyer = await admin.post('/v1/users', { email: 'buyer@hz.example', name: '王芳', role: 'customer', customerId: customer.body.id, language: 'zh-CN' });
    expect(buyer.status).toBe(201);
    const reviewer = await admin.post('/v1/users', { email: 'reviewer@vendor.example', role: 'issuer' });
    await expect.poll(() => inbox.length).toBe(2);
    const [buyerInvite] = mailsTo('buyer@hz.example');
    expect(buyerInvite.subject).toBe('邀请您使用 Seatlock');
    expect(buyerInvite.text).toContain('王芳您好');
    expect(linkIn(buyerInvite)).toBe(`${server.url}/accept-invite?invite=${encodeURIComponent(buyer.body.invite)}`);
    expect(buyerInvite.html).toContain(`href="${server.url}/accept-invite?invite=`);
    expect(mailsTo('reviewer@vendor.example')[0].subject).toBe('You are invited to Seatlock');

    // The invited buyer follows the link and sets a password there.
    if (browser) {
      const page = await (await newPerson(browser, server.url)).newPage();
      await page.goto(linkIn(buyerInvite));
      await page.getByLabel('New password (12 to 256 characters)').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Set password' }).click();
      await expect.poll(() => signIn(server.url, 'buyer@hz.example').then(() => true, () => false)).toBe(true);
    } else {
      expect((await client(server.url).post('/v1/users/accept', { invite: new URL(linkIn(buyerInvite)).searchParams.get('invite'), password: TEST_PASSWORD })).status).toBe(200);
    }
    const reviewerInvite = new URL(linkIn(mailsTo('reviewer@vendor.example')[0])).searchParams.get('invite');
    expect((await client(server.url).post('/v1/users/accept', { invite: reviewerInvite, password: TEST_PASSWORD })).status).toBe(200);
    // Sent, the invite is erased from the outbox: no copy of the link stays in the database.
    await expect.poll(async () => (await rawQuery<{ data: string }>(server.dataDir, `SELECT data FROM outbox_events WHERE type = 'user.invited'`)).map((row) => row.data.includes('slinv_'))).toEqual([false, false]);

    const session = await signIn(server.url, 'buyer@hz.example');
    const trial = await session.post('/v1/trials', { product: 'face-detection' });
    expect(trial.status).toBe(201);
    await expect.poll(() => mailsTo('reviewer@vendor.example').map((mail) => mail.subject)).toContain('New trial to review');
    const approved = await admin.post(`/v1/trials/${trial.body.id}/approve`, { reason: '资料齐全' });
    expect(approved.status).toBe(200);
    await expect.poll(() => mailsTo('buyer@hz.example').map((mail) => mail.subject)).toContain('您的试用申请已批准');
    const decision = mailsTo('buyer@hz.example').find((mail) => mail.subject === '您的试用申请已批准')!;
    expect(decision.text).toContain('原因：资料齐全');
    expect(decision.text).toContain(`${server.url}/pools`);

    expect((await admin.post(`/v1/users/${reviewer.body.id}/disable`)).status).toBe(200);
    await expect.poll(() => mailsTo('reviewer@vendor.example').map((mail) => mail.subject)).toContain('Your Seatlock account was disabled');

    // No token, activation code or password in any message; an invite's link only in its own.
    const secrets = [approved.body.pool.activationCode, server.adminToken, TEST_PASSWORD];
    for (const mail of inbox) {
      for (const secret of secrets) expect(mail.text + mail.html).not.toContain(secret);
      const invite = mail.subject === 'You are invited to Seatlock' || mail.subject === '邀请您使用 Seatlock';
      if (!invite) expect(mail.text + mail.html).not.toContain('slinv_');
    }
  });
});
