// First-start data: the six default queues, and the first admin: the one named by ADMIN_EMAIL/ADMIN_PASSWORD
// when none exists, or else a one-time set-up address in the log, where a newcomer creates it in the browser.
import type { FastifyBaseLogger } from 'fastify';
import { hashPassword } from './auth/passwords.js';
import { hashToken, randomToken } from './ids.js';
import { DEFAULT_QUEUES } from './cases/routing.js';
import type { Config } from './config.js';
import type { Repositories } from './repositories/index.js';

export const SETUP_PATH = '/setup';

export async function bootstrap(repos: Repositories, config: Config, log: FastifyBaseLogger): Promise<void> {
  await repos.queues.seed(DEFAULT_QUEUES);
  if ((await repos.users.countActiveAdmins()) > 0) return;
  if (!config.adminEmail || !config.adminPassword) {
    const token = randomToken();
    await repos.accountTokens.issueSetupToken(hashToken(token));
    // The one log line that carries a secret, on purpose: it is how a newcomer gets in, it works once,
    // and it stops working as soon as any admin exists.
    log.warn(
      `No admin account exists yet. To create the first one, open ${config.publicUrl}${SETUP_PATH}?token=${token} in a browser ` +
        '(this address works once; or set ADMIN_EMAIL and ADMIN_PASSWORD and restart).',
    );
    return;
  }
  if (await repos.users.emailExists(config.adminEmail)) {
    log.warn('ADMIN_EMAIL belongs to an existing non-admin or disabled user: no admin created');
    return;
  }
  const admin = await repos.users.create({
    email: config.adminEmail,
    name: 'Administrator',
    role: 'admin',
    siteId: null,
    passwordHash: await hashPassword(config.adminPassword),
    queues: [],
  });
  await repos.audit.record({ actorType: 'system', actorId: null, action: 'user.create', targetType: 'user', targetId: admin.id, detail: { role: 'admin', bootstrap: true } });
  log.info({ userId: admin.id }, 'first admin created from ADMIN_EMAIL');
}
