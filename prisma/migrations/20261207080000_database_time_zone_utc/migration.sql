-- Timestamps are stored as UTC without a zone, and the database writes some itself (column defaults,
-- now() in triggers and statements), in its session's time zone. The service's own sessions on Node
-- are put on UTC when they connect, but not every session is the service's: behind Cloudflare's
-- Hyperdrive (the Worker) a SET lasts only for its transaction, and an operator's psql keeps the
-- server's default, which on a server in China is Asia/Shanghai: eight hours ahead of the times the
-- service writes itself. So the database's own default is UTC. Only its owner (or a superuser) may
-- set it; another role migrates on with a warning saying what to run.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET "TimeZone" TO %L', current_database(), 'UTC');
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'the database''s default time zone is not set to UTC: the migrating role does not own it. As its owner, run: ALTER DATABASE % SET "TimeZone" TO ''UTC''', quote_ident(current_database());
END $$;
