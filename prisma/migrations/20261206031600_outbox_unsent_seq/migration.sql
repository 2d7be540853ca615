-- CreateIndex
CREATE INDEX "OutboxMessage_unsent_seq_idx" ON "OutboxMessage"("seq") WHERE (status = ANY (ARRAY['pending'::"OutboxStatus", 'sending'::"OutboxStatus"]));
