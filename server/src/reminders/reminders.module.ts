import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ReminderScanner } from './reminder-scanner';

/** Reminders no request triggers (reviews coming due, trials ending), queued through the outbox. */
@Module({
  imports: [OutboxModule],
  providers: [ReminderScanner],
  exports: [ReminderScanner],
})
export class RemindersModule {}
