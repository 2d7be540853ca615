// A stored session is checked when it is loaded: a session written by an older version (a step
// since renamed, an answer since reshaped) or damaged must never crash a turn. What does not fit
// this schema is not trusted; the engine starts the person again from their menu or the start of
// registration, and says so (engine.ts).
import { z } from "zod";
import { isStepId } from "./flows/index.ts";
import type { Session } from "./types.ts";

const text = z.string();
const region = z.object({ code: text, name: text, parentName: text.optional() });
const occupation = z.object({ code: text, name: text });
const nullableNumber = z.number().nullable();
const step = z.custom<Session["step"]>(isStepId, "not a step of any flow");
const editableField = z.enum(["name", "idNumber", "phone", "homeRegion", "poverty", "occupations", "workRange", "wageFloor", "training"]);

const employerAnswers = z
  .object({
    name: text,
    kind: z.enum(["company", "workshop", "base", "cooperative", "broker", "publicWelfare"]),
    creditCode: text.nullable(),
    contactName: text,
    contactPhone: text,
    county: region,
    township: region,
    address: text,
  })
  .partial();

const vacancyAnswers = z
  .object({
    title: text,
    occupationCode: text.nullable(),
    occupationName: text,
    headcount: z.number(),
    county: region,
    township: region,
    atEmployer: z.boolean(),
    wageMin: nullableNumber,
    wageMax: nullableNumber,
    wageUnit: z.enum(["month", "day", "hour", "piece"]),
    hours: text.nullable(),
    ageMin: nullableNumber,
    ageMax: nullableNumber,
    sex: z.enum(["any", "female", "male"]),
    requirements: text.nullable(),
    housing: z.boolean(),
    meals: z.boolean(),
    insurance: z.boolean(),
    deadline: text.nullable(),
  })
  .partial();

const answers = z
  .object({
    consent: z.boolean(),
    name: text,
    idNumber: text,
    birthDate: text,
    sex: z.enum(["female", "male"]),
    phone: text,
    county: region,
    township: region,
    village: region,
    povertyStatus: z.enum(["registered", "lifted", "monitored", "none", "unknown"]),
    categories: z.array(z.enum(["minimumLivingAllowance", "extremeHardship", "disability"])),
    wishedOccupations: z.array(occupation),
    workRange: z.enum(["homeCounty", "province", "anywhere"]),
    wageFloor: z.number(),
    wantsTraining: z.boolean(),
    trainingWish: text.nullable(),
    employer: employerAnswers,
    vacancy: vacancyAnswers,
  })
  .partial();

// The step's own scratch: the lists it shows are the host's views, checked for the fields the steps read.
const listed = z.array(z.looseObject({ id: text.optional(), vacancyId: text.optional() }));
const scratch = z
  .object({
    page: z.number().int().min(0),
    countyQuery: text,
    countyCandidates: z.array(region),
    occupationCandidates: z.array(occupation),
    occupationChoosing: z.boolean(),
    editReturn: z.enum(["summary", "editConfirm"]),
    editedField: editableField,
    jobs: z.array(z.object({ vacancyId: text, line: text })),
    shownJobs: z.array(text),
    vacancy: z.looseObject({ id: text, title: text }),
    jobAction: z.enum(["apply", "decline"]),
    declined: z.array(z.object({ occupationCode: text.optional(), employerKind: text.optional(), reason: text })),
    linkPhone: text,
    linking: z.boolean(),
    employerAction: z.enum(["post", "close", "applicants", "hire"]),
    vacancies: listed,
    chosenVacancyId: text,
    applicants: z.array(z.looseObject({ applicationId: text, name: text })),
  })
  .partial();

const position = z.object({
  step,
  answers,
  scratch,
  editing: z.object({ field: editableField, returnTo: z.enum(["summary", "editConfirm"]) }).optional(),
});

const sessionSchema = position.extend({
  version: z.literal(1),
  history: z.array(position),
  mistakes: z.number().int().min(0),
  lastAt: text,
  optedOut: z.boolean(),
  eraseAsked: z.boolean().optional(),
});

/** What a stored session says, or what little of it can still be trusted when it does not fit. */
export type LoadedSession = { session: Session } | { unreadable: { optedOut: boolean; consent: boolean } };

export function loadSession(stored: unknown): LoadedSession {
  const parsed = sessionSchema.safeParse(stored);
  if (parsed.success) return { session: parsed.data as Session };
  // The person's own choices outlive a broken session: an opt-out stays an opt-out, consent given stays given.
  const raw = (stored && typeof stored === "object" ? stored : {}) as { optedOut?: unknown; answers?: { consent?: unknown } };
  return {
    unreadable: {
      optedOut: raw.optedOut === true,
      consent: raw.answers?.consent === true,
    },
  };
}
