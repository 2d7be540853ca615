// Domain verbs about workers. Personal data enters here in clear and leaves encrypted (database)
// or masked (views); nothing else handles the sealed columns.
import type { AppDeps } from "../deps.ts";
import type { PovertyStatus, Prisma, Worker, WorkRange } from "../db/client.ts";
import { AppError } from "../shared/errors.ts";
import { ageOn, normalizeMobile, parseResidentId } from "../shared/identifiers.ts";
import { maskIdNumber, maskPhone } from "../shared/masking.ts";
import { queueIndexing } from "./search-sync.ts";

type Deps = Pick<AppDeps, "prisma" | "pii" | "clock">;

export interface NewWorker {
  name: string;
  idNumber?: string;
  phone?: string;
  homeRegionCode?: string;
  povertyStatus?: PovertyStatus;
  categories?: string[];
  wishedOccupations?: string[];
  workRange?: WorkRange;
  wageFloor?: number;
  wantsTraining?: boolean;
  registeredVia?: string;
}

/** The columns that hold one resident ID number: sealed, hashed for look-up, masked for display. */
export function sealIdNumber(pii: Deps["pii"], raw: string) {
  const parsed = parseResidentId(raw);
  if ("problem" in parsed) throw new AppError("validation_failed", `the resident ID number is not valid (${parsed.problem})`);
  return {
    idNumberEnc: pii.encrypt(parsed.number),
    idNumberHash: pii.hash("id", parsed.number),
    idNumberMasked: maskIdNumber(parsed.number),
    birthDate: new Date(`${parsed.birthDate}T00:00:00Z`),
    sex: parsed.sex,
  };
}

export function sealPhone(pii: Deps["pii"], raw: string) {
  const phone = normalizeMobile(raw);
  if (!phone) throw new AppError("validation_failed", "the phone number is not a Chinese mobile number");
  return { phoneEnc: pii.encrypt(phone), phoneHash: pii.hash("phone", phone), phoneMasked: maskPhone(phone) };
}

export async function createWorker(deps: Deps, input: NewWorker): Promise<Worker> {
  const data: Prisma.WorkerCreateInput = {
    name: input.name,
    homeRegionCode: input.homeRegionCode ?? null,
    povertyStatus: input.povertyStatus ?? "unknown",
    categories: input.categories ?? [],
    wishedOccupations: input.wishedOccupations ?? [],
    workRange: input.workRange ?? null,
    wageFloor: input.wageFloor ?? null,
    wantsTraining: input.wantsTraining ?? null,
    registeredVia: input.registeredVia ?? null,
    createdAt: deps.clock(),
    ...(input.idNumber ? sealIdNumber(deps.pii, input.idNumber) : {}),
    ...(input.phone ? sealPhone(deps.pii, input.phone) : {}),
  };
  return deps.prisma.$transaction(async (tx) => {
    const worker = await tx.worker.create({ data });
    await queueIndexing(tx, "worker", worker.id);
    return worker;
  });
}

/** Family members often share one phone: a number can lead to several workers. */
export async function findWorkersByPhone(deps: Deps, raw: string): Promise<Worker[]> {
  const phone = normalizeMobile(raw);
  if (!phone) return [];
  return deps.prisma.worker.findMany({ where: { phoneHash: deps.pii.hash("phone", phone) }, orderBy: { id: "asc" } });
}

/** What the operator API shows of a worker: ID number always masked; the phone in clear only for
 * roles that call workers (coordinators), masked for everyone else. */
export function workerView(worker: Worker, options: { revealPhone?: string | null; now: Date }) {
  const birthDate = worker.birthDate?.toISOString().slice(0, 10) ?? null;
  return {
    id: worker.id,
    name: worker.name,
    idNumber: worker.idNumberMasked,
    birthDate,
    age: birthDate ? ageOn(birthDate, options.now) : null,
    sex: worker.sex,
    phone: options.revealPhone ?? worker.phoneMasked,
    homeRegionCode: worker.homeRegionCode,
    povertyStatus: worker.povertyStatus,
    categories: worker.categories,
    wishedOccupations: worker.wishedOccupations,
    workRange: worker.workRange,
    wageFloor: worker.wageFloor,
    wantsTraining: worker.wantsTraining,
    employmentStatus: worker.employmentStatus,
    registeredVia: worker.registeredVia,
    createdAt: worker.createdAt.toISOString(),
  };
}

export type WorkerView = ReturnType<typeof workerView>;
