import { z } from 'zod';
import {
  isMethodName,
  METHOD_NAMES,
  methods,
  type MethodArgs,
  type MethodName,
  type MethodOutput,
} from '../../../../shared/api/contract';
import { ERROR_TEXT, type ErrorCode } from '../../../../shared/api/errors';
import type { CallResult } from '../../../../shared/api/wire';
import { AppError } from '../errors';
import type { Logger } from '../ports';

export type Handler<M extends MethodName> = (args: MethodArgs<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

export interface Router {
  /** Validate, run and validate again. Never throws: failures come back as `{ok:false}`. */
  call(method: unknown, input: unknown): Promise<CallResult>;
}

const MAX_NAME_IN_MESSAGE = 60;

function fail(code: ErrorCode, message: string = ERROR_TEXT[code]): CallResult {
  return { ok: false, error: { code, message } };
}

function invalidInput(method: string, error: z.ZodError): CallResult {
  return {
    ok: false,
    error: {
      code: 'INVALID_INPUT',
      message: `The request to ${method} was not valid:\n${z.prettifyError(error)}`,
      issues: error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    },
  };
}

export function createRouter(handlers: Handlers, logger: Logger): Router {
  return {
    async call(method, input) {
      if (!isMethodName(method)) {
        const shown = typeof method === 'string' ? method.slice(0, MAX_NAME_IN_MESSAGE) : typeof method;
        return fail('UNKNOWN_METHOD', `This version of the app has no "${shown}".`);
      }
      const spec = methods[method];
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) return invalidInput(method, parsed.error);

      let output: unknown;
      try {
        const handler = handlers[method] as (args: unknown) => unknown;
        output = await handler(parsed.data);
      } catch (error) {
        if (error instanceof AppError) return fail(error.code, error.message);
        logger.error('handler failed', { method, error });
        return fail('INTERNAL');
      }

      const checked = spec.output.safeParse(output);
      if (!checked.success) {
        logger.error('handler returned a value outside the contract', {
          method,
          issues: z.prettifyError(checked.error),
        });
        return fail('INTERNAL');
      }
      return { ok: true, value: checked.data };
    },
  };
}

/**
 * The features' handlers as one table. Each method is answered by exactly one
 * feature: a method nobody answers, or two answer, is a wiring mistake, said
 * at start with its name rather than found by the first call.
 */
export function collectHandlers(parts: ReadonlyArray<Partial<Handlers>>): Handlers {
  const all: Partial<Record<MethodName, unknown>> = {};
  for (const part of parts) {
    for (const name of Object.keys(part) as MethodName[]) {
      if (name in all) throw new Error(`Two features answer ${name}.`);
      all[name] = part[name];
    }
  }
  const missing = METHOD_NAMES.filter((name) => !(name in all));
  if (missing.length > 0) throw new Error(`No feature answers ${missing.join(', ')}.`);
  return all as Handlers;
}
