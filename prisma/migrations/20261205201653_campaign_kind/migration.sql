-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'broadcast';
