// The answers an employer gives, kept under answers.employer (registering) and answers.vacancy
// (posting): read and written through these, and free text kept short enough for an SMS summary.
import { halfWidthAlphanumerics } from "../../shared/width.ts";
import { onlyManners, onlyQuestions } from "../input.ts";
import type { Answers, EmployerAnswers, VacancyAnswers } from "../types.ts";

export const employerOf = (answers: Answers): EmployerAnswers => answers.employer ?? {};
export const vacancyOf = (answers: Answers): VacancyAnswers => answers.vacancy ?? {};
export const withEmployer = (answers: Answers, fields: Partial<EmployerAnswers>): Partial<Answers> => ({
  employer: { ...employerOf(answers), ...fields },
});
export const withVacancy = (answers: Answers, fields: Partial<VacancyAnswers>): Partial<Answers> => ({
  vacancy: { ...vacancyOf(answers), ...fields },
});

/** Free text kept short for an SMS summary; null when empty, too long, only manners (你好, 谢谢) or only a question. */
export function shortText(text: string, max: number): string | null {
  // Kept as written but for full-width letters and digits: 手巧，能坐得住 keeps its Chinese comma.
  const cleaned = halfWidthAlphanumerics(text).trim().replace(/\s+/g, " ");
  return cleaned.length >= 2 && cleaned.length <= max && !onlyManners(cleaned) && !onlyQuestions(cleaned) ? cleaned : null;
}
