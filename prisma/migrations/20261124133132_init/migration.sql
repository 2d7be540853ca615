-- CreateEnum
CREATE TYPE "PovertyStatus" AS ENUM ('registered', 'lifted', 'monitored', 'none', 'unknown');

-- CreateEnum
CREATE TYPE "WorkRange" AS ENUM ('homeCounty', 'province', 'anywhere');

-- CreateEnum
CREATE TYPE "EmploymentStatus" AS ENUM ('seeking', 'employedLocal', 'employedInProvince', 'employedOutOfProvince', 'selfEmployed', 'notSeeking');

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('female', 'male');

-- CreateEnum
CREATE TYPE "EmployerKind" AS ENUM ('company', 'workshop', 'base', 'cooperative', 'broker', 'publicWelfare');

-- CreateEnum
CREATE TYPE "WageUnit" AS ENUM ('month', 'day', 'hour', 'piece');

-- CreateEnum
CREATE TYPE "SexRequirement" AS ENUM ('any', 'female', 'male');

-- CreateEnum
CREATE TYPE "VacancyStatus" AS ENUM ('draft', 'open', 'closed', 'filled');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('applied', 'shared', 'hired', 'rejected', 'withdrawn');

-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('open', 'closed');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('open', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed');

-- CreateEnum
CREATE TYPE "OperatorRole" AS ENUM ('admin', 'countyOfficial', 'coordinator');

-- CreateTable
CREATE TABLE "Region" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "parentCode" TEXT,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Household" (
    "id" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "povertyStatus" "PovertyStatus" NOT NULL DEFAULT 'unknown',
    "categories" TEXT[],
    "registryNo" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Household_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "idNumberEnc" TEXT,
    "idNumberHash" TEXT,
    "idNumberMasked" TEXT,
    "birthDate" DATE,
    "sex" "Sex",
    "phoneEnc" TEXT,
    "phoneHash" TEXT,
    "phoneMasked" TEXT,
    "householdId" TEXT,
    "homeRegionCode" TEXT,
    "povertyStatus" "PovertyStatus" NOT NULL DEFAULT 'unknown',
    "categories" TEXT[],
    "skills" TEXT[],
    "wishedOccupations" TEXT[],
    "workRange" "WorkRange",
    "wageFloor" INTEGER,
    "wantsTraining" BOOLEAN,
    "trainingWish" TEXT,
    "employmentStatus" "EmploymentStatus" NOT NULL DEFAULT 'seeking',
    "employedSince" TIMESTAMP(3),
    "employerId" TEXT,
    "pensionEnrolled" BOOLEAN,
    "graduationYear" INTEGER,
    "education" TEXT,
    "registeredVia" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelIdentity" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "workerId" TEXT,
    "employerId" TEXT,
    "lastInboundAt" TIMESTAMP(3),
    "optedOutAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Employer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "creditCode" TEXT,
    "vouchedBy" TEXT,
    "kind" "EmployerKind" NOT NULL DEFAULT 'company',
    "contactName" TEXT,
    "contactPhoneEnc" TEXT,
    "contactPhoneHash" TEXT,
    "contactPhoneMasked" TEXT,
    "regionCode" TEXT,
    "address" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Employer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vacancy" (
    "id" TEXT NOT NULL,
    "externalId" TEXT,
    "employerId" TEXT,
    "employerName" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "occupationCode" TEXT,
    "regionCode" TEXT,
    "address" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "headcount" INTEGER,
    "wageMin" INTEGER,
    "wageMax" INTEGER,
    "wageUnit" "WageUnit" NOT NULL DEFAULT 'month',
    "hours" TEXT,
    "ageMin" INTEGER,
    "ageMax" INTEGER,
    "sex" "SexRequirement" NOT NULL DEFAULT 'any',
    "literacy" TEXT,
    "physical" TEXT,
    "housing" BOOLEAN,
    "insurance" BOOLEAN,
    "status" "VacancyStatus" NOT NULL DEFAULT 'open',
    "deadline" TIMESTAMP(3),
    "postedVia" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Vacancy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" TEXT NOT NULL,
    "vacancyId" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'applied',
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "hiredAt" TIMESTAMP(3),

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssistancePlan" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "coordinatorId" TEXT,
    "regionCode" TEXT,
    "goals" JSONB NOT NULL DEFAULT '[]',
    "status" "PlanStatus" NOT NULL DEFAULT 'open',
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "AssistancePlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanEvent" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "workerId" TEXT,
    "identityId" TEXT,
    "kind" TEXT NOT NULL,
    "channel" TEXT,
    "text" TEXT,
    "data" JSONB,
    "actorId" TEXT,

    CONSTRAINT "PlanEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanTask" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'open',
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "PlanTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversationSession" (
    "identityId" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationSession_pkey" PRIMARY KEY ("identityId")
);

-- CreateTable
CREATE TABLE "InboundReceipt" (
    "channel" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboundReceipt_pkey" PRIMARY KEY ("channel","messageId")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "providerMessageId" TEXT,
    "workerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "statusAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Consent" (
    "id" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "wording" TEXT NOT NULL,
    "channel" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Operator" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "OperatorRole" NOT NULL,
    "regionCodes" TEXT[],
    "phoneMasked" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "Operator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "operatorId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "label" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "operatorId" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "data" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Region_parentCode_idx" ON "Region"("parentCode");

-- CreateIndex
CREATE INDEX "Region_name_idx" ON "Region"("name");

-- CreateIndex
CREATE INDEX "Household_regionCode_idx" ON "Household"("regionCode");

-- CreateIndex
CREATE UNIQUE INDEX "Worker_idNumberHash_key" ON "Worker"("idNumberHash");

-- CreateIndex
CREATE UNIQUE INDEX "Worker_phoneHash_key" ON "Worker"("phoneHash");

-- CreateIndex
CREATE INDEX "Worker_homeRegionCode_idx" ON "Worker"("homeRegionCode");

-- CreateIndex
CREATE INDEX "Worker_employmentStatus_idx" ON "Worker"("employmentStatus");

-- CreateIndex
CREATE INDEX "ChannelIdentity_workerId_idx" ON "ChannelIdentity"("workerId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelIdentity_channel_address_key" ON "ChannelIdentity"("channel", "address");

-- CreateIndex
CREATE UNIQUE INDEX "Employer_creditCode_key" ON "Employer"("creditCode");

-- CreateIndex
CREATE INDEX "Employer_regionCode_idx" ON "Employer"("regionCode");

-- CreateIndex
CREATE UNIQUE INDEX "Vacancy_externalId_key" ON "Vacancy"("externalId");

-- CreateIndex
CREATE INDEX "Vacancy_status_regionCode_idx" ON "Vacancy"("status", "regionCode");

-- CreateIndex
CREATE INDEX "Vacancy_employerId_idx" ON "Vacancy"("employerId");

-- CreateIndex
CREATE INDEX "Application_workerId_idx" ON "Application"("workerId");

-- CreateIndex
CREATE UNIQUE INDEX "Application_vacancyId_workerId_key" ON "Application"("vacancyId", "workerId");

-- CreateIndex
CREATE UNIQUE INDEX "AssistancePlan_workerId_key" ON "AssistancePlan"("workerId");

-- CreateIndex
CREATE INDEX "AssistancePlan_coordinatorId_idx" ON "AssistancePlan"("coordinatorId");

-- CreateIndex
CREATE INDEX "AssistancePlan_regionCode_idx" ON "AssistancePlan"("regionCode");

-- CreateIndex
CREATE INDEX "PlanEvent_workerId_at_idx" ON "PlanEvent"("workerId", "at");

-- CreateIndex
CREATE INDEX "PlanEvent_identityId_at_idx" ON "PlanEvent"("identityId", "at");

-- CreateIndex
CREATE INDEX "PlanTask_status_dueAt_idx" ON "PlanTask"("status", "dueAt");

-- CreateIndex
CREATE INDEX "PlanTask_planId_idx" ON "PlanTask"("planId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_idempotencyKey_key" ON "OutboxMessage"("idempotencyKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_providerMessageId_idx" ON "OutboxMessage"("providerMessageId");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_address_createdAt_idx" ON "OutboxMessage"("channel", "address", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Job_key_key" ON "Job"("key");

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Consent_workerId_kind_idx" ON "Consent"("workerId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "AuditLog_operatorId_at_idx" ON "AuditLog"("operatorId", "at");

-- AddForeignKey
ALTER TABLE "Worker" ADD CONSTRAINT "Worker_householdId_fkey" FOREIGN KEY ("householdId") REFERENCES "Household"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelIdentity" ADD CONSTRAINT "ChannelIdentity_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelIdentity" ADD CONSTRAINT "ChannelIdentity_employerId_fkey" FOREIGN KEY ("employerId") REFERENCES "Employer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vacancy" ADD CONSTRAINT "Vacancy_employerId_fkey" FOREIGN KEY ("employerId") REFERENCES "Employer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_vacancyId_fkey" FOREIGN KEY ("vacancyId") REFERENCES "Vacancy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssistancePlan" ADD CONSTRAINT "AssistancePlan_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssistancePlan" ADD CONSTRAINT "AssistancePlan_coordinatorId_fkey" FOREIGN KEY ("coordinatorId") REFERENCES "Operator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanEvent" ADD CONSTRAINT "PlanEvent_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanEvent" ADD CONSTRAINT "PlanEvent_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "ChannelIdentity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanTask" ADD CONSTRAINT "PlanTask_planId_fkey" FOREIGN KEY ("planId") REFERENCES "AssistancePlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversationSession" ADD CONSTRAINT "ConversationSession_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "ChannelIdentity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_operatorId_fkey" FOREIGN KEY ("operatorId") REFERENCES "Operator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
