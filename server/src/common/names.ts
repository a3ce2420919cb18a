import { type EntityManager, In } from 'typeorm';
import { ApiToken } from '../auth/api-token.entity';
import { User } from '../auth/user.entity';
import { Customer } from '../customers/customer.entity';

/** Display names of the customers and actors a page of rows mentions. */
export interface Names {
  customers: ReadonlyMap<string, string>;
  actors: ReadonlyMap<string, string>;
}

/** What the admin CLI is called where an actor is shown by name. */
const CLI_NAME = 'seatlock-admin';

/** The ids behind `prefix:<id>` actors. */
function idsOf(actors: readonly string[], prefix: string): string[] {
  return [...new Set(actors.filter((actor) => actor.startsWith(prefix)).map((actor) => actor.slice(prefix.length)))];
}

/**
 * Names for lists, so screens show people and things by name: a customer's name; a person's
 * name, or email when it has none, for `user:<id>`; a token's name for `token:<id>`. One query per
 * kind, whatever the page size; an id with no row (deleted) has no name.
 */
export async function lookUpNames(manager: EntityManager, wanted: { customerIds?: readonly string[]; actors?: readonly string[] }): Promise<Names> {
  const customerIds = [...new Set(wanted.customerIds ?? [])];
  const actors = wanted.actors ?? [];
  const userIds = idsOf(actors, 'user:');
  const tokenIds = idsOf(actors, 'token:');
  // One after another: the manager may hold one connection inside a transaction.
  const customers = customerIds.length ? await manager.find(Customer, { select: { id: true, name: true }, where: { id: In(customerIds) } }) : [];
  const users = userIds.length ? await manager.find(User, { select: { id: true, name: true, email: true }, where: { id: In(userIds) } }) : [];
  const tokens = tokenIds.length ? await manager.find(ApiToken, { select: { id: true, name: true }, where: { id: In(tokenIds) } }) : [];
  const actorNames = new Map<string, string>([
    ...users.map((user) => [`user:${user.id}`, user.name ?? user.email] as const),
    ...tokens.map((token) => [`token:${token.id}`, token.name] as const),
  ]);
  if (actors.includes('cli')) actorNames.set('cli', CLI_NAME);
  return { customers: new Map(customers.map((customer) => [customer.id, customer.name])), actors: actorNames };
}
