/**
 * The shapes every OpenText service here answers in (CONTRACTS §A.2 errors, §A.3 collections; Push follows them, §B): HAL
 * collections and the three error bodies. File 360 and Push share them, so
 * they sit with the HTTP base rather than with either client.
 */
import { z } from 'zod';
import { BoundedJson } from '../platform/bounded-json';

export function Collection<T extends z.ZodType>(item: T) {
  return z.object({
    _embedded: z.object({ collection: z.array(item) }),
    _links: z.object({ next: z.object({ href: z.string() }).optional() }).catchall(BoundedJson),
    total: z.number().int().optional(),
  });
}

/** Documentum-style service error. */
export const ServiceError = z.object({
  status: z.number().optional(),
  code: z.string(),
  message: z.string().optional(),
  details: BoundedJson.optional(),
  id: z.string().optional(),
});

/** API-gateway error (auth, throttling). */
export const GatewayError = z.object({
  fault: z.object({
    faultstring: z.string().optional(),
    detail: z.object({ errorcode: z.string().optional() }).catchall(BoundedJson).optional(),
  }),
});

export const OAuthError = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});
