import { z } from 'zod';
import { REMOTE_ID } from '../../ids';

/** Methods that take no arguments still take an object, so the contract can grow without breaking callers. */
export const NoInput = z.strictObject({});

export const IsoTime = z.iso.datetime({ offset: false });

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** An id that came from File 360 or Push: opaque, but bounded and printable. */
export const RemoteId = z.string().regex(REMOTE_ID);
