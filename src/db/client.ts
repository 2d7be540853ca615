// The Prisma client and model types every service takes, whatever database sits under it.
export * from "./generated/client.ts";

import type { Prisma, PrismaClient } from "./generated/client.ts";

/** A transaction's client: what a verb writes through when it runs inside one. */
export type Tx = Prisma.TransactionClient;
/** Either: a read or a single write needs no transaction. */
export type Db = PrismaClient | Tx;
