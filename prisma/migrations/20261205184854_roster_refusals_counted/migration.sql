-- AlterTable
ALTER TABLE "RosterImport" ADD COLUMN     "refusedMore" INTEGER NOT NULL DEFAULT 0;
