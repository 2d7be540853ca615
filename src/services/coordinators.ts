// Who follows a person up: the coordinator on their plan while still active, else the one whose
// regions hold their place most narrowly. The chat, the alerts, the console and the roster import
// all ask it here, so that they name the same person.
import type { Operator, Tx } from "../db/client.ts";
import { prepared, sqlOn, type SqlRunner } from "../db/sql.ts";

/** Of these coordinators, the one whose regions hold the place most narrowly (village before township before county). */
export function nearestCoordinator<T extends Pick<Operator, "regionCodes">>(coordinators: readonly T[], regionCode: string | null): T | null {
  if (!regionCode) return null;
  let best: T | null = null;
  let bestLength = 0;
  for (const coordinator of coordinators) {
    for (const scope of coordinator.regionCodes) {
      if (regionCode.startsWith(scope) && scope.length > bestLength) {
        best = coordinator;
        bestLength = scope.length;
      }
    }
  }
  return best;
}

/** What finding a person's coordinator, and telling them, needs of one. */
export type Coordinator = Pick<Operator, "id" | "name" | "regionCodes" | "phoneEnc">;

/** Every active coordinator (the morning's counts, a roster import's plans), through Prisma or not (sqlOn). */
const ACTIVE_COORDINATORS = prepared("active_coordinators", `SELECT id, name, "regionCodes", "phoneEnc" FROM "Operator" WHERE role = 'coordinator' AND "disabledAt" IS NULL`);

export const activeCoordinators = (db: Tx | SqlRunner) => sqlOn(db).query<Coordinator>(ACTIVE_COORDINATORS);

/**
 * Of the active coordinators, only those who could be a person's: the one on their plan and those
 * whose regions hold their place. A request for a person asks this; a province has thousands of
 * coordinators, of whom a handful are in the running.
 */
const COORDINATORS_IN_THE_RUNNING = prepared(
  "coordinators_in_the_running",
  `SELECT id, name, "regionCodes", "phoneEnc" FROM "Operator"
   WHERE role = 'coordinator' AND "disabledAt" IS NULL
     AND (id = $1 OR EXISTS (SELECT 1 FROM unnest("regionCodes") AS scope WHERE starts_with($2, scope)))`,
);

/** The coordinator for a place: the one whose regions hold it most narrowly. */
export async function coordinatorFor(db: Tx | SqlRunner, regionCode: string | null): Promise<Coordinator | null> {
  return responsibleCoordinator(db, null, regionCode);
}

/** Who follows a person up: the coordinator on their plan while still active, else the one for their place. */
export function responsibleAmong<T extends Coordinator>(coordinators: readonly T[], plan: { coordinatorId: string | null } | null, regionCode: string | null): T | null {
  const assigned = plan?.coordinatorId ? coordinators.find((coordinator) => coordinator.id === plan.coordinatorId) : undefined;
  return assigned ?? nearestCoordinator(coordinators, regionCode);
}

export async function responsibleCoordinator(db: Tx | SqlRunner, plan: { coordinatorId: string | null } | null, regionCode: string | null): Promise<Coordinator | null> {
  if (!plan?.coordinatorId && !regionCode) return null;
  return responsibleAmong(await sqlOn(db).query<Coordinator>(COORDINATORS_IN_THE_RUNNING, [plan?.coordinatorId ?? null, regionCode]), plan, regionCode);
}
