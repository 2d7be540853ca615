// A backup of the running service's embedded database, asked of the service itself (it is the
// database's one owner): administrators only, and every copy taken is in the audit log, since it
// holds everyone's records (sealed).
import { conflict } from "../shared/errors.ts";
import { ADMINS, audit, verb, type VerbContext } from "./context.ts";

/** Allows one backup now and records who took it; on PostgreSQL there is none to take here. */
export const recordBackup = verb({ roles: ADMINS, writes: true }, async (ctx: VerbContext, input: { embedded: boolean }) => {
  if (!input.embedded) throw conflict("this service runs on PostgreSQL: back it up with pg_dump (README, Deploying)");
  await audit(ctx, "backup.taken");
});
