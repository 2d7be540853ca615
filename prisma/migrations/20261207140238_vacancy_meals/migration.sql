-- AlterTable
ALTER TABLE "Vacancy" ADD COLUMN     "meals" BOOLEAN;

-- Vacancies posted by chat kept their meals as the description's first words ("包吃；要求：…"):
-- the column says it now, and the description keeps the rest.
UPDATE "Vacancy" SET meals = true, description = nullif(regexp_replace(description, '^包吃(；|$)', ''), '')
WHERE description ~ '^包吃(；|$)';
