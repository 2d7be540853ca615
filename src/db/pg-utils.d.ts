// node-pg's conversion of a parameter to the text it sends (untyped in @types/pg).
declare module "pg/lib/utils.js" {
  export function prepareValue(value: unknown): string | Buffer | null;
}
