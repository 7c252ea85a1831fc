// Email over SMTP_URL with nodemailer. Without SMTP_URL the service runs as before and says once that email
// is off. Sending never happens inside a request: the dispatcher sends from the outbox and tries again later
// when the server refuses or cannot be reached.
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { BaseLogger } from 'pino';
import type { Config } from '../config.js';
import type { EmailContent } from './email-content.js';

export interface Mailer {
  readonly enabled: boolean;
  /** Resolves once the SMTP server has accepted the message; rejects with its refusal. */
  send(to: string, content: EmailContent, messageId: string): Promise<void>;
  close(): void;
}

/** A stable Message-ID per notification: a message sent twice after a crash can be told apart as the same one. */
export function messageIdFor(notificationId: string, publicUrl: string): string {
  return `<${notificationId}@${new URL(publicUrl).hostname.replace(/^\[|\]$/g, '') || 'localhost'}>`;
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'smtpFrom'>, log: Pick<BaseLogger, 'info'>): Mailer {
  if (!config.smtpUrl) {
    log.info('email is off: SMTP_URL is not set');
    return { enabled: false, send: async () => Promise.reject(new Error('email is off')), close: () => {} };
  }
  const options: SMTPPool.Options = {
    url: config.smtpUrl,
    pool: true,
    maxConnections: 2,
    // A server that does not answer holds a sender at most this long; the email is tried again later.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
  const transport: Transporter<SMTPPool.SentMessageInfo> = nodemailer.createTransport(options);
  log.info({ smtp: new URL(config.smtpUrl).host }, 'email is on');
  return {
    enabled: true,
    async send(to, content, messageId) {
      await transport.sendMail({
        from: config.smtpFrom,
        to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId,
        headers: { 'Content-Language': content.language },
      });
    },
    close: () => transport.close(),
  };
}
