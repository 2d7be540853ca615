// Assistance plans: who follows a worker up, and the coordinator's work that the bot schedules.
import type { Tx } from "./timeline.ts";

/** The coordinator whose regions hold this place most narrowly (village before township before county). */
export async function coordinatorFor(tx: Tx, regionCode: string | null) {
  if (!regionCode) return null;
  const coordinators = await tx.operator.findMany({ where: { role: "coordinator", disabledAt: null } });
  let best: { id: string; name: string } | null = null;
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
