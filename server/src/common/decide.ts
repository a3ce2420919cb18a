import { SeatlockError } from '@seatlock/shared';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Moves an application from submitted to its decision, atomically: of two concurrent reviews
 * only one changes the row; the other gets NOT_SUBMITTED.
 */
export async function decideApplication(
  manager: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  what: string,
  id: string,
  change: { status: 'approved' | 'rejected'; decidedAt: string; decisionReason: string | null; poolId?: string | null },
): Promise<void> {
  const result = await manager
    .createQueryBuilder()
    .update(target)
    .set(change)
    .where('id = :id AND status = :submitted', { id, submitted: 'submitted' })
    .execute();
  if (result.affected) return;
  const existing = await manager.findOneBy(target, { id });
  if (!existing) throw new SeatlockError('NOT_FOUND', `No ${what} with id ${id}.`);
  throw new SeatlockError('NOT_SUBMITTED', `The ${what} was already ${existing.status}; only a submitted ${what} can be reviewed.`);
}
