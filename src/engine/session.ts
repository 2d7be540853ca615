// A stored session is checked when it is loaded: a session written by an older version (a step
// since renamed, an answer since reshaped) or damaged must never crash a turn. What does not fit
// this schema is not trusted; the engine starts the person again from their menu or the start of
// registration, and says so (engine.ts).
import { z } from "zod";
import { stateSchemas } from "./flow.ts";
import { benefitScratchSchema } from "./flows/benefit-questions.ts";
import { employerHomeScratchSchema } from "./flows/employer-home.ts";
import { employerAnswersSchema } from "./flows/employer-registration.ts";
import { isStepId } from "./flows/index.ts";
import { jobSearchScratchSchema } from "./flows/job-search.ts";
import { phoneLinkScratchSchema } from "./flows/phone-link.ts";
import { profileEditScratchSchema } from "./flows/profile-edit.ts";
import { occupationScratchSchema, registrationAnswersSchema } from "./flows/registration.ts";
import { vacancyAnswersSchema, vacancyTermsSchema } from "./flows/vacancy-posting.ts";
import { regionScratchSchema } from "./regions.ts";
import type { Session } from "./types.ts";

const step = z.custom<Session["step"]>(isStepId, "not a step of any flow");

// Each flow declares (and checks) its own state, in its own file; a session is all of them.
const answers = registrationAnswersSchema.extend({ employer: employerAnswersSchema.optional(), vacancy: vacancyAnswersSchema.optional(), lastVacancy: vacancyTermsSchema.optional() });
const scratch = z
  .object({ page: z.number().int().min(0).optional() })
  .extend(regionScratchSchema.shape)
  .extend(occupationScratchSchema.shape)
  .extend(profileEditScratchSchema.shape)
  .extend(jobSearchScratchSchema.shape)
  .extend(phoneLinkScratchSchema.shape)
  .extend(employerHomeScratchSchema.shape)
  .extend(benefitScratchSchema.shape);

const position = z.object({
  step,
  answers,
  scratch,
  editing: z.object({ field: stateSchemas.editableField, returnTo: z.enum(["summary", "editConfirm"]) }).optional(),
});

const sessionSchema = position.extend({
  version: z.literal(1),
  history: z.array(position),
  mistakes: z.number().int().min(0),
  lastAt: z.string(),
  optedOut: z.boolean(),
  eraseAsked: z.boolean().optional(),
  callbackAsked: z.boolean().optional(),
  guess: z.object({ key: z.string(), label: z.string() }).optional(),
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
