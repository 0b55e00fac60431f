import type { z } from "zod";
import { parseInput } from "../validate.js";

/** parseInput under a name the reports use for their query objects. */
export const validatedInput = <S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> =>
  parseInput(schema, raw ?? {});
