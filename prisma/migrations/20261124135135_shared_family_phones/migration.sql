-- DropIndex
DROP INDEX "Worker_phoneHash_key";

-- CreateIndex
CREATE INDEX "Worker_phoneHash_idx" ON "Worker"("phoneHash");
