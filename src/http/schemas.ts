// Schemas shared by several routes.
import { z } from "@hono/zod-openapi";
import { REGION_CODE } from "../shared/identifiers.ts";

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export const regionCode = z
  .string()
  .regex(REGION_CODE, "a region code of 2, 4, 6, 9 or 12 digits")
  .openapi({ example: "350622" });

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorSchema } } });

/** The error answers every operator route can give. */
export const operatorErrors = {
  400: errorResponse("invalid request"),
  401: errorResponse("no or unknown API key"),
  403: errorResponse("outside the caller's role or regions"),
} as const;

export const notFoundError = { 404: errorResponse("not found") } as const;

export const conflictError = { 409: errorResponse("conflicts with the record's state") } as const;

export const bearer = [{ bearer: [] }];

/**
 * A route's JSON body. A field the route does not know is refused with the rest of the checks (400,
 * naming it), not dropped without a word: a client sending a field it believes is used (a vacancy's
 * occupationCode, which is read from the title) learns that it is not.
 */
export const jsonBody = <Shape extends z.core.$ZodShape, Config extends z.core.$ZodObjectConfig>(schema: z.ZodObject<Shape, Config>, required = true) => ({
  required,
  content: { "application/json": { schema: schema.strict() } },
});
