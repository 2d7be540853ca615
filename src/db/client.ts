// The Prisma client and model types every service takes, whatever database sits under it.
export * from "./generated/client.ts";
