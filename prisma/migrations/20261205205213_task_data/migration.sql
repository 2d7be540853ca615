-- AlterTable
ALTER TABLE "PlanTask" ADD COLUMN     "data" JSONB;
