-- AlterTable
ALTER TABLE "PlanTask" ADD COLUMN     "callbackPhoneEnc" TEXT;
