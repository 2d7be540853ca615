// Where a channel's address is the person's phone number (SMS), the number is personal data: it is
// stored sealed wherever it is an address (the channel identity, the outbox), found again by its
// sealed form, and opened only to hand the message to the provider. Other channels' addresses (a
// WeChat openid, a puppet's contact id, a simulator id) are the provider's pseudonyms, kept as is.
import type { PrismaClient } from "../db/client.ts";
import { SEALED_ADDRESS_PREFIX, type PiiProtector } from "../shared/pii.ts";

const PHONE_CHANNELS: ReadonlySet<string> = new Set(["sms"]);

/** The address as it is stored and looked up. */
export const storedAddress = (pii: PiiProtector, channel: string, address: string) => (PHONE_CHANNELS.has(channel) ? pii.sealAddress(address) : address);

/** The address as the provider needs it. */
export const sendingAddress = (pii: PiiProtector, channel: string, stored: string) => (PHONE_CHANNELS.has(channel) ? pii.openAddress(stored) : stored);

/** A phone's SMS address, as stored. */
export const smsAddress = (pii: PiiProtector, phone: string) => storedAddress(pii, "sms", phone);

/**
 * Seals the phone addresses written before they were sealed (a database from an earlier version),
 * before the service takes messages: a number found by its sealed form must not meet its plain one.
 * Returns how many rows it sealed; nothing the second time.
 */
export async function sealPlainAddresses(prisma: PrismaClient, pii: PiiProtector): Promise<number> {
  let sealed = 0;
  for (const table of ["ChannelIdentity", "OutboxMessage"] as const) {
    for (;;) {
      const rows = await prisma.$queryRawUnsafe<{ id: string; channel: string; address: string }[]>(
        `SELECT id, channel, address FROM "${table}" WHERE channel = ANY($1::text[]) AND NOT starts_with(address, $2) LIMIT 500`,
        [...PHONE_CHANNELS],
        SEALED_ADDRESS_PREFIX,
      );
      if (rows.length === 0) break;
      await prisma.$executeRawUnsafe(
        `UPDATE "${table}" t SET address = r.address FROM unnest($1::text[], $2::text[]) AS r(id, address) WHERE t.id = r.id`,
        rows.map((row) => row.id),
        rows.map((row) => storedAddress(pii, row.channel, row.address)),
      );
      sealed += rows.length;
    }
  }
  return sealed;
}
