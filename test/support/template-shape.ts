// What a test database must still have of the template for another test file to use it: the
// schema's tables, indexes, columns and triggers, and the rows the template was given (the
// regions, the migrations' bookkeeping).
export const KEPT_FROM_TEMPLATE = ["Region", "_prisma_migrations"];

export const TEMPLATE_SHAPE_SQL = `SELECT concat_ws(' ',
  (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace),
  (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped),
  (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace),
  (SELECT count(*) FROM "Region"), (SELECT max(code) FROM "Region"),
  (SELECT count(*) FROM "_prisma_migrations")) AS shape`;
