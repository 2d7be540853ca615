-- CreateEnum
CREATE TYPE "RosterImportStatus" AS ENUM ('staged', 'running', 'done', 'failed', 'discarded');

-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "declaredPovertyStatus" "PovertyStatus",
ADD COLUMN     "povertyConfirmedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RosterEntry" (
    "id" TEXT NOT NULL,
    "personNo" TEXT,
    "idNumberHash" TEXT NOT NULL,
    "householdNo" TEXT,
    "regionCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "relation" TEXT,
    "education" TEXT,
    "health" TEXT,
    "labourSkill" TEXT,
    "householdType" TEXT,
    "monitoringType" TEXT,
    "riskCleared" BOOLEAN,
    "phoneEnc" TEXT,
    "phoneHash" TEXT,
    "phoneMasked" TEXT,
    "householdPhoneEnc" TEXT,
    "householdPhoneHash" TEXT,
    "householdPhoneMasked" TEXT,
    "workerId" TEXT NOT NULL,
    "lastImportId" TEXT NOT NULL,
    "leftAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RosterEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RosterImport" (
    "id" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "operatorId" TEXT,
    "fileName" TEXT,
    "status" "RosterImportStatus" NOT NULL DEFAULT 'staged',
    "rowsTotal" INTEGER NOT NULL,
    "rowsDone" INTEGER NOT NULL DEFAULT 0,
    "new" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "refused" JSONB NOT NULL DEFAULT '[]',
    "refusedMore" INTEGER NOT NULL DEFAULT 0,
    "left" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RosterImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RosterImportBatch" (
    "importId" TEXT NOT NULL,
    "firstLine" INTEGER NOT NULL,
    "rows" JSONB NOT NULL,

    CONSTRAINT "RosterImportBatch_pkey" PRIMARY KEY ("importId","firstLine")
);

-- CreateIndex
CREATE UNIQUE INDEX "RosterEntry_personNo_key" ON "RosterEntry"("personNo");

-- CreateIndex
CREATE UNIQUE INDEX "RosterEntry_idNumberHash_key" ON "RosterEntry"("idNumberHash");

-- CreateIndex
CREATE UNIQUE INDEX "RosterEntry_workerId_key" ON "RosterEntry"("workerId");

-- CreateIndex
CREATE INDEX "RosterEntry_regionCode_idx" ON "RosterEntry"("regionCode");

-- CreateIndex
CREATE INDEX "RosterEntry_phoneHash_idx" ON "RosterEntry"("phoneHash");

-- CreateIndex
CREATE INDEX "RosterEntry_householdPhoneHash_idx" ON "RosterEntry"("householdPhoneHash");

-- CreateIndex
CREATE INDEX "RosterImport_status_createdAt_idx" ON "RosterImport"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "RosterEntry" ADD CONSTRAINT "RosterEntry_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RosterImportBatch" ADD CONSTRAINT "RosterImportBatch_importId_fkey" FOREIGN KEY ("importId") REFERENCES "RosterImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
