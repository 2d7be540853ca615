// Personal data in what is sent. Where a channel's address is the person's phone number (SMS), the
// number is stored sealed wherever it is an address (the channel identity, the outbox), found again
// by its sealed form, and opened only to hand the message to the provider. Other channels'
// addresses (a WeChat openid, a puppet's contact id, a simulator id) are the provider's pseudonyms,
// kept as is. A message whose text carries someone's number (an applicant's phone for the
// employer) is stored sealed as a whole, and opened the same way.
import { CHANNEL } from "../shared/channel-names.ts";
import type { PrismaClient } from "../db/client.ts";
import { maskAddress } from "../shared/masking.ts";
import { SEALED_ADDRESS_PREFIX, type PiiProtector } from "../shared/pii.ts";

const PHONE_CHANNELS: ReadonlySet<string> = new Set([CHANNEL.sms]);

/** The address as it is stored and looked up. */
export const storedAddress = (pii: PiiProtector, channel: string, address: string) => (PHONE_CHANNELS.has(channel) ? pii.sealAddress(address) : address);

/** The address as the provider needs it. */
export const sendingAddress = (pii: PiiProtector, channel: string, stored: string) => (PHONE_CHANNELS.has(channel) ? pii.openAddress(stored) : stored);

/** A phone's SMS address, as stored. */
export const smsAddress = (pii: PiiProtector, phone: string) => storedAddress(pii, CHANNEL.sms, phone);

/** An outbox body ({ text, template?, params? }) stored sealed. */
export type SealedBody = { sealed: string };

export const sealBody = (pii: PiiProtector, body: object): SealedBody => ({ sealed: pii.encrypt(JSON.stringify(body)) });

/** The body as the channel renders it: a sealed one opened, any other as it is. */
export function openBody(pii: PiiProtector, body: unknown): unknown {
  const sealed = body && typeof body === "object" && "sealed" in body ? (body as SealedBody).sealed : undefined;
  return typeof sealed === "string" ? JSON.parse(pii.decrypt(sealed)) : body;
}

/** The address as the provider needs it, or null for one this key cannot open (left plain at an upgrade, say). */
export function openedAddress(pii: PiiProtector, channel: string, stored: string): string | null {
  try {
    return sendingAddress(pii, channel, stored);
  } catch {
    return null;
  }
}

/** An address as operators see it: a phone masked; "•••" for one this key cannot open (never a 500). */
export function shownAddress(pii: PiiProtector, channel: string, stored: string): string {
  const opened = openedAddress(pii, channel, stored);
  return opened === null ? "•••" : maskAddress(opened);
}

const SEALED_SETTING = "addresses_sealed";

/**
 * Seals the phone addresses written before they were sealed (a database from an earlier version),
 * before the service takes messages — with every instance of the earlier version stopped, so that
 * none writes a plain one meanwhile. Once done it is recorded, and later starts skip it. An SMS
 * identity whose sealed twin exists already (written by this version in the meantime) is left
 * plain and counted as `conflicts` for a coordinator to merge. Pages by id: each row is read once.
 */
export async function sealPlainAddresses(prisma: PrismaClient, pii: PiiProtector): Promise<{ sealed: number; conflicts: number }> {
  if (await prisma.serviceSetting.findUnique({ where: { key: SEALED_SETTING } })) return { sealed: 0, conflicts: 0 };
  let sealed = 0;
  let conflicts = 0;
  for (const table of ["ChannelIdentity", "OutboxMessage"] as const) {
    let after = "";
    for (;;) {
      const rows = await prisma.$queryRawUnsafe<{ id: string; channel: string; address: string }[]>(
        `SELECT id, channel, address FROM "${table}"
         WHERE channel = ANY($1::text[]) AND NOT starts_with(address, $2) AND id > $3 ORDER BY id LIMIT 500`,
        [...PHONE_CHANNELS],
        SEALED_ADDRESS_PREFIX,
        after,
      );
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      // Identities are unique by (channel, address): a row whose sealed form is taken stays as it is.
      const changed = await prisma.$executeRawUnsafe(
        `UPDATE "${table}" t SET address = r.address FROM unnest($1::text[], $2::text[]) AS r(id, address)
         WHERE t.id = r.id${table === "ChannelIdentity" ? ` AND NOT EXISTS (SELECT 1 FROM "ChannelIdentity" o WHERE o.channel = t.channel AND o.address = r.address)` : ""}`,
        rows.map((row) => row.id),
        rows.map((row) => storedAddress(pii, row.channel, row.address)),
      );
      sealed += changed;
      conflicts += rows.length - changed;
    }
  }
  await prisma.serviceSetting.create({ data: { key: SEALED_SETTING, value: new Date().toISOString() } });
  return { sealed, conflicts };
}
