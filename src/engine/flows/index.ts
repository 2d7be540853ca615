// The one registry of flows: each flow owns its steps (in its own file) and a topic, which is how a
// coordinator reads where someone was when they asked for a person. Adding a flow is a file here
// and a line below; a step id defined twice, or a step that names a next step nobody defines,
// fails the engine's tests (test/engine/flows.test.ts).
import type { Step } from "../flow.ts";
import type { StepId } from "../types.ts";
import { BENEFIT_STEP_IDS, BENEFIT_STEPS } from "./benefit-questions.ts";
import { EMPLOYER_HOME_STEP_IDS, EMPLOYER_HOME_STEPS } from "./employer-home.ts";
import { EMPLOYER_REGISTRATION_STEP_IDS, EMPLOYER_REGISTRATION_STEPS } from "./employer-registration.ts";
import { HOME_STEP_IDS, HOME_STEPS } from "./home.ts";
import { JOB_SEARCH_STEP_IDS, JOB_SEARCH_STEPS } from "./job-search.ts";
import { PHONE_LINK_STEP_IDS, PHONE_LINK_STEPS } from "./phone-link.ts";
import { PROFILE_EDIT_STEP_IDS, PROFILE_EDIT_STEPS } from "./profile-edit.ts";
import { REGISTRATION_STEP_IDS, REGISTRATION_STEPS } from "./registration.ts";
import { VACANCY_POSTING_STEP_IDS, VACANCY_POSTING_STEPS } from "./vacancy-posting.ts";
import employerHomeWords from "./employer-home.words.json" with { type: "json" };
import employerRegistrationWords from "./employer-registration.words.json" with { type: "json" };
import homeWords from "./home.words.json" with { type: "json" };
import jobSearchWords from "./job-search.words.json" with { type: "json" };
import registrationWords from "./registration.words.json" with { type: "json" };
import vacancyPostingWords from "./vacancy-posting.words.json" with { type: "json" };

/**
 * The words that pick a menu's options, by step id and option key: data beside its flow
 * (`<flow>.words.json`), so the vocabulary grows with what people really type and no code changes.
 */
export type Vocabulary = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface Flow {
  name: string;
  /** what the person was doing, in a coordinator's words (a task's note: 在找工作时请求人工) */
  topic: string;
  /** the ids it owns */
  ids: readonly StepId[];
  steps: readonly Step[];
  words?: Vocabulary;
}

export const FLOWS: readonly Flow[] = [
  { name: "registration", topic: "登记", ids: REGISTRATION_STEP_IDS, steps: REGISTRATION_STEPS, words: registrationWords },
  { name: "profileEdit", topic: "改信息", ids: PROFILE_EDIT_STEP_IDS, steps: PROFILE_EDIT_STEPS },
  { name: "home", topic: "主菜单", ids: HOME_STEP_IDS, steps: HOME_STEPS, words: homeWords },
  { name: "benefits", topic: "问补贴", ids: BENEFIT_STEP_IDS, steps: BENEFIT_STEPS },
  { name: "jobSearch", topic: "找工作", ids: JOB_SEARCH_STEP_IDS, steps: JOB_SEARCH_STEPS, words: jobSearchWords },
  { name: "phoneLink", topic: "绑定手机", ids: PHONE_LINK_STEP_IDS, steps: PHONE_LINK_STEPS },
  { name: "employerRegistration", topic: "单位登记", ids: EMPLOYER_REGISTRATION_STEP_IDS, steps: EMPLOYER_REGISTRATION_STEPS, words: employerRegistrationWords },
  { name: "vacancyPosting", topic: "发布岗位", ids: VACANCY_POSTING_STEP_IDS, steps: VACANCY_POSTING_STEPS, words: vacancyPostingWords },
  { name: "employerHome", topic: "单位菜单", ids: EMPLOYER_HOME_STEP_IDS, steps: EMPLOYER_HOME_STEPS, words: employerHomeWords },
];

const flowOfStep = new Map<string, Flow>(FLOWS.flatMap((flow) => flow.ids.map((id) => [id, flow] as const)));

/** A step whose menu options also answer to the flow's vocabulary for them. */
function withVocabulary(step: Step, words: Vocabulary[string] | undefined): Step {
  if (!words) return step;
  return {
    ...step,
    async prompt(position, env) {
      const prompt = await step.prompt(position, env);
      const choices = prompt.choices?.map((choice) => {
        const more = words[choice.key];
        return more ? { ...choice, words: [...(choice.words ?? []), ...more] } : choice;
      });
      return choices ? { ...prompt, choices } : prompt;
    },
  };
}

/** Every step by its id. */
export const STEPS = Object.fromEntries(
  FLOWS.flatMap((flow) => flow.steps.map((step) => [step.id, withVocabulary(step, flow.words?.[step.id])])),
) as Record<StepId, Step>;

export const isStepId = (id: unknown): id is StepId => typeof id === "string" && flowOfStep.has(id);

/** The topic of the flow a step belongs to; the registration's for a step no flow knows (any more). */
export const topicOf = (step: string): string => (flowOfStep.get(step) ?? FLOWS[0]!).topic;
