-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "erasedAt" TIMESTAMP(3);
