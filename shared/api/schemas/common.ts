import { z } from 'zod';

/** Methods that take no arguments still take an object, so the contract can grow without breaking callers. */
export const NoInput = z.strictObject({});

export const IsoTime = z.iso.datetime({ offset: false });

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** An id that came from File 360 or Push: opaque, but bounded and printable. */
export const RemoteId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);
