-- What a chat turn reads about who wrote (src/conversation/turn-context.ts), as a function: PL/pgSQL
-- keeps its plan for as long as the connection lives. As a statement this size, the embedded
-- database planned it again at every turn, even prepared: about 2 ms of a turn's 6-8.
-- The roster's part is the rule of `reachable` in src/services/roster/reach.ts: on the roster now,
-- never reached by the chat, not erased; at most 8 people (a household; the SMS menu pages them).
CREATE FUNCTION "chat_turn_context"(p_channel text, p_address text, p_phone_hash text, p_kinds text[], p_now timestamp)
RETURNS TABLE (id text, "workerId" text, "employerId" text, "wroteRecently" boolean, state jsonb, version integer,
               worker jsonb, employer jsonb, notices jsonb, roster jsonb, places jsonb)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH identity AS (
    SELECT i.id, i."workerId", i."employerId", i."lastInboundAt" >= p_now - interval '1 minute' AS "wroteRecently", s.state, s.version
    FROM "ChannelIdentity" i LEFT JOIN "ConversationSession" s ON s."identityId" = i.id
    WHERE i.channel = p_channel AND i.address = p_address),
  worker AS (
    SELECT w.name, w."idNumberMasked", w."phoneMasked", w."birthDate"::text AS "birthDate", w.sex, w."homeRegionCode", w."povertyStatus",
           coalesce(w.categories, '{}') AS categories, coalesce(w."wishedOccupations", '{}') AS "wishedOccupations", w."workRange", w."wageFloor",
           w."wantsTraining", w."trainingWish"
    FROM "Worker" w JOIN identity i ON w.id = i."workerId"),
  employer AS (
    SELECT e.id, e.name, e.kind, e."regionCode", (e."creditCode" IS NOT NULL OR e."vouchedBy" IS NOT NULL) AS trusted
    FROM "Employer" e JOIN identity i ON e.id = i."employerId"),
  notices AS (
    SELECT n.kind, n."vacancyId", n."courseId", n.key, to_char(n."sentAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "sentAt"
    FROM "Notice" n JOIN identity i ON n."workerId" = i."workerId"
    WHERE n.kind = ANY(p_kinds) AND n."sentAt" IS NOT NULL
    ORDER BY n."sentAt" DESC LIMIT 2),
  roster AS (
    SELECT r.id AS key, r.name, r."regionCode", r."phoneHash" = p_phone_hash AS own
    FROM "RosterEntry" r JOIN "Worker" w ON w.id = r."workerId"
    WHERE p_phone_hash IS NOT NULL AND (r."phoneHash" = p_phone_hash OR r."householdPhoneHash" = p_phone_hash)
      AND r."leftAt" IS NULL AND w."erasedAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "ChannelIdentity" c WHERE c."workerId" = w.id)
    ORDER BY r.id LIMIT 8),
  places AS (
    SELECT g.code, g.name FROM "Region" g
    WHERE g.code IN (
      SELECT left(c.code, n) FROM (SELECT "homeRegionCode" FROM worker UNION ALL SELECT "regionCode" FROM employer UNION ALL SELECT "regionCode" FROM roster) AS c(code),
        unnest(ARRAY[4, 6, 9, 12]) AS n
      WHERE c.code IS NOT NULL))
  SELECT i.id, i."workerId", i."employerId", i."wroteRecently", i.state, i.version,
    (SELECT to_jsonb(w) FROM worker w),
    (SELECT to_jsonb(e) FROM employer e),
    (SELECT jsonb_agg(n) FROM notices n),
    -- only for a stranger: someone already known is not offered the roster's people
    (SELECT jsonb_agg(r) FROM roster r WHERE i."workerId" IS NULL AND i."employerId" IS NULL),
    (SELECT jsonb_agg(p) FROM places p)
  FROM identity i;
END $$;
