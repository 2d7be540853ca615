// Assistance plans: who follows a worker up, and the coordinator's work that the bot schedules.
import type { Operator } from "../db/client.ts";
import type { Tx } from "./timeline.ts";

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

export const activeCoordinators = (tx: Tx) => tx.operator.findMany({ where: { role: "coordinator", disabledAt: null } });

/** The coordinator for a place: the one whose regions hold it most narrowly. */
export async function coordinatorFor(tx: Tx, regionCode: string | null): Promise<Operator | null> {
  return regionCode ? nearestCoordinator(await activeCoordinators(tx), regionCode) : null;
}

/** Who follows a person up: the coordinator on their plan while still active, else the one for their place. */
export function responsibleAmong(coordinators: readonly Operator[], plan: { coordinatorId: string | null } | null, regionCode: string | null): Operator | null {
  const assigned = plan?.coordinatorId ? coordinators.find((coordinator) => coordinator.id === plan.coordinatorId) : undefined;
  return assigned ?? nearestCoordinator(coordinators, regionCode);
}

export async function responsibleCoordinator(tx: Tx, plan: { coordinatorId: string | null } | null, regionCode: string | null): Promise<Operator | null> {
  return responsibleAmong(await activeCoordinators(tx), plan, regionCode);
}
