-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "householdTechnicalSchoolStudent" BOOLEAN,
ADD COLUMN     "organisedLabourExport" BOOLEAN,
ADD COLUMN     "startingBusiness" BOOLEAN;
