-- CreateTable
CREATE TABLE "ConsoleCode" (
    "id" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsoleCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConsoleCode_operatorId_createdAt_idx" ON "ConsoleCode"("operatorId", "createdAt");

-- AddForeignKey
ALTER TABLE "ConsoleCode" ADD CONSTRAINT "ConsoleCode_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
