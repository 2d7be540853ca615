-- AlterTable
ALTER TABLE "Vacancy" ADD COLUMN     "anywhereInRegion" BOOLEAN NOT NULL DEFAULT false;
