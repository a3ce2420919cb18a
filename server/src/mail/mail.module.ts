import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { MailService } from './mail.service';

/** E-mail to people: the outbox channel that sends through SMTP. */
@Module({
  imports: [OutboxModule],
  providers: [MailService],
})
export class MailModule {}
