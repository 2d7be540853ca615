-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "erasedAt" TIMESTAMP(3);

-- The web simulator used to take a sender id that looked like a Chinese mobile number as a proven
-- phone, so such a chat could have been joined to someone else's record. It proves nothing now:
-- those links are undone (the person links again through the SMS code, as on WeChat).
UPDATE "ChannelIdentity" SET "workerId" = NULL, "employerId" = NULL
WHERE channel = 'web' AND address ~ '^(\+?86)?1[3-9][0-9]{9}$';
