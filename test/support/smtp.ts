import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** A real SMTP server on loopback in the test process, keeping every e-mail it receives. */
export class Inbox {
  readonly mails: Mail[] = [];
  private readonly smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData: (stream, session, callback) => {
      simpleParser(stream).then((parsed) => {
        this.mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: parsed.subject ?? '', text: parsed.text ?? '', html: String(parsed.html || '') });
        callback();
      }, callback);
    },
  });

  /** Listens, and answers the SMTP URL a server sends through (SEATLOCK_SMTP_URL). */
  async start(): Promise<string> {
    await new Promise<void>((done) => this.smtp.listen(0, '127.0.0.1', done));
    return `smtp://127.0.0.1:${(this.smtp.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.smtp.close(() => done()));
  }

  to(address: string): Mail[] {
    return this.mails.filter((mail) => mail.to === address);
  }

  subjectsTo(address: string): string[] {
    return this.to(address).map((mail) => mail.subject);
  }
}
