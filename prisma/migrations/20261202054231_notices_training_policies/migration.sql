-- CreateEnum
CREATE TYPE "EnrolmentStatus" AS ENUM ('enrolled', 'completed', 'dropped');

-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "sharePhone" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "employedRegionCode" TEXT,
ADD COLUMN     "employedVacancyId" TEXT;

-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "vacancyId" TEXT,
    "courseId" TEXT,
    "key" TEXT NOT NULL,
    "outboxId" TEXT,
    "channel" TEXT,
    "regionCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingCourse" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "occupationCode" TEXT,
    "regionCode" TEXT,
    "address" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "seats" INTEGER NOT NULL,
    "free" BOOLEAN NOT NULL DEFAULT true,
    "subsidyYuan" INTEGER,
    "livingAllowance" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingCourse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingEnrolment" (
    "id" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "status" "EnrolmentStatus" NOT NULL DEFAULT 'enrolled',
    "enrolledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "certificate" TEXT,

    CONSTRAINT "TrainingEnrolment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyDocument" (
    "regionCode" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT,

    CONSTRAINT "PolicyDocument_pkey" PRIMARY KEY ("regionCode")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "segment" JSONB NOT NULL,
    "text" TEXT NOT NULL,
    "sendAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recipients" INTEGER,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Notice_key_key" ON "Notice"("key");

-- CreateIndex
CREATE INDEX "Notice_workerId_kind_createdAt_idx" ON "Notice"("workerId", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "Notice_kind_regionCode_idx" ON "Notice"("kind", "regionCode");

-- CreateIndex
CREATE INDEX "TrainingCourse_status_startsAt_idx" ON "TrainingCourse"("status", "startsAt");

-- CreateIndex
CREATE INDEX "TrainingEnrolment_workerId_idx" ON "TrainingEnrolment"("workerId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingEnrolment_courseId_workerId_key" ON "TrainingEnrolment"("courseId", "workerId");

-- CreateIndex
CREATE INDEX "Employer_contactPhoneHash_idx" ON "Employer"("contactPhoneHash");

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_vacancyId_fkey" FOREIGN KEY ("vacancyId") REFERENCES "Vacancy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "TrainingCourse"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingEnrolment" ADD CONSTRAINT "TrainingEnrolment_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "TrainingCourse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingEnrolment" ADD CONSTRAINT "TrainingEnrolment_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
