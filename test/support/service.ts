// The service acting on its own, as the job runner does: the context its jobs' work gets.
import { contextFor, SERVICE, type VerbContext } from "../../src/services/context.ts";
import type { Harness } from "./harness.ts";

export const service = (h: Harness): VerbContext => contextFor(h.deps, SERVICE);
