// Workers for tests, as a coordinator would register them: a valid resident ID (so birth date and
// sex follow from it), a phone, a place, a plan, and a simulator identity that last wrote `lastWrote`.
import type { Harness } from "./harness.ts";
import { createWorker, type NewWorker } from "../../src/services/workers.ts";

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid 18-character resident ID for a birth date (YYYY-MM-DD) and sex; `serial` tells people apart. */
export function residentId(birthDate: string, sex: "female" | "male", serial: number, area = "350622"): string {
  const order = String((serial % 50) * 2 + (sex === "male" ? 1 : 0)).padStart(3, "0");
  const first17 = `${area}${birthDate.replaceAll("-", "")}${order}`;
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * ID_WEIGHTS[i]!, 0);
  return first17 + "10X98765432"[sum % 11];
}

export interface TestWorker {
  id: string;
  /** the simulator id, which is also the phone */
  address: string;
}

let serial = 0;

/** Registers a worker with a plan and a web-simulator identity (their simulated phone). */
export async function registerTestWorker(
  h: Harness,
  person: Omit<NewWorker, "idNumber" | "phone"> & { birthDate: string; sex: "female" | "male"; optedOut?: boolean; lastWrote?: Date },
): Promise<TestWorker> {
  serial += 1;
  const address = `138${String(10_000_000 + serial * 7919).slice(-8)}`;
  const { birthDate, sex, optedOut, lastWrote, ...rest } = person;
  const worker = await createWorker(h.deps, {
    ...rest,
    idNumber: residentId(birthDate, sex, serial, person.homeRegionCode?.slice(0, 6) ?? "350622"),
    phone: address,
    registeredVia: "operator",
  });
  await h.deps.prisma.assistancePlan.create({ data: { workerId: worker.id, regionCode: worker.homeRegionCode, openedAt: h.clock() } });
  await h.deps.prisma.channelIdentity.create({
    data: { channel: "web", address, workerId: worker.id, lastInboundAt: lastWrote ?? h.clock(), optedOutAt: optedOut ? h.clock() : null },
  });
  return { id: worker.id, address };
}
