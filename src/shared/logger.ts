// Structured logs (pino). Every value is masked on the way out: an ID number or a phone number in a
// message, a field or an error never reaches the log whole.
import pino, { type Logger } from "pino";
import { maskDeep, maskPersonalText } from "./masking.ts";

export type { Logger };

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: undefined,
      // maskDeep turns errors into plain masked objects; pino's own error serializer would then
      // relabel them "Object", so it is switched off.
      formatters: { log: (object) => maskDeep(object) },
      serializers: { err: (error: unknown) => error },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === "string" ? maskPersonalText(arg) : arg)) as Parameters<typeof method>);
        },
      },
      // The Worker's bundle takes pino's browser build, which reads none of the above: there each
      // line is masked whole and written as one JSON line, which Workers Logs takes apart.
      browser: { asObject: true, write: (line: object) => console.log(JSON.stringify(maskDeep(line))) },
    },
    options.destination,
  );
}
