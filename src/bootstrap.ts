// First-start data: the six default queues, and the admin named by ADMIN_EMAIL/ADMIN_PASSWORD when none exists.
import type { FastifyBaseLogger } from 'fastify';
import { hashPassword } from './auth/passwords.js';
import { DEFAULT_QUEUES } from './cases/routing.js';
import type { Config } from './config.js';
import type { Repositories } from './repositories/index.js';

export async function bootstrap(repos: Repositories, config: Config, log: FastifyBaseLogger): Promise<void> {
  await repos.queues.seed(DEFAULT_QUEUES);
  if (config.adminEmail && config.adminPassword && (await repos.users.countActiveAdmins()) === 0) {
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
}
