// `npm run reindex`: rebuilds the search indexes from the database (the source of truth). Run it
// with the service's own DATABASE_URL/DATA_DIR and MEILI_URL; on the embedded default, stop the
// service first (the embedded database has one owner at a time).
import { ConfigError, loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { startBundledMeilisearch } from "../entry/bundled-meilisearch.ts";
import { localSecrets } from "../entry/local-secrets.ts";
import { reindexAll } from "../services/search-sync.ts";
import { createLogger } from "../shared/logger.ts";
import { createMatchingIndexes } from "../../matching/indexes.ts";
import { createSearchClient } from "../../matching/search-client.ts";
import { nodeHttpClient } from "../../matching/node-http-client.ts";

try {
  const config = loadConfig(process.env);
  const log = createLogger({ level: "warn" });
  const db = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR });
  const meili = config.MEILI_URL
    ? undefined
    : await startBundledMeilisearch({ dataDir: config.DATA_DIR, masterKey: config.MEILI_MASTER_KEY ?? localSecrets(config.DATA_DIR).meiliMasterKey, log });
  const httpClient = nodeHttpClient();
  try {
    const search = createSearchClient({ url: config.MEILI_URL ?? meili!.url, apiKey: config.MEILI_MASTER_KEY ?? meili?.masterKey, httpClient });
    const started = Date.now();
    const { vacancies, workers } = await reindexAll(db.prisma, createMatchingIndexes(search, {}));
    console.log(`reindexed ${vacancies} vacancies and ${workers} workers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    httpClient.close();
    await meili?.stop();
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : `reindex failed: ${(error as Error).message}`);
  process.exit(1);
}
