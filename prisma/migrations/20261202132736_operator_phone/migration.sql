-- AlterTable
ALTER TABLE "Operator" ADD COLUMN     "phoneEnc" TEXT;
