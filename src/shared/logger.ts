// Structured logs (pino). Every value is masked on the way out: an ID number or a phone number in a
// message, a field or an error never reaches the log whole.
import pino, { type Logger } from "pino";
import { maskDeep, maskPersonalText } from "./pii.ts";

export type { Logger };

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: undefined,
      formatters: { log: (object) => maskDeep(object) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === "string" ? maskPersonalText(arg) : arg)) as Parameters<typeof method>);
        },
      },
      serializers: {
        err: (error: Error) => maskDeep(pino.stdSerializers.err(error)),
      },
    },
    options.destination,
  );
}
