import type {
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
} from '../../shared/api/contract';
import { ERROR_TEXT, isErrorCode, type ApiErrorShape, type ErrorCode } from '../../shared/api/errors';
import type { CompanionBridge } from '../../shared/api/wire';

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: NonNullable<ApiErrorShape['issues']>;

  constructor(shape: ApiErrorShape) {
    super(shape.message || ERROR_TEXT[shape.code]);
    this.code = shape.code;
    this.issues = shape.issues ?? [];
  }
}

type Args<M extends MethodName> = Record<string, never> extends MethodInput<M> ? [input?: MethodInput<M>] : [input: MethodInput<M>];

export interface Client {
  readonly shell: CompanionBridge['shell'];
  call<M extends MethodName>(method: M, ...args: Args<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Typed calls over whichever bridge this window has; failures become ApiError with words to show. */
export function createClient(bridge: CompanionBridge): Client {
  return {
    shell: bridge.shell,
    async call(method, ...args) {
      const result = await bridge.invoke(method, args[0] ?? {});
      if (result.ok) return result.value as never;
      const code = isErrorCode(result.error.code) ? result.error.code : 'INTERNAL';
      throw new ApiError({ ...result.error, code });
    },
    on(event, listener) {
      return bridge.on(event, (payload) => listener(payload as never));
    },
  };
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return ERROR_TEXT.INTERNAL;
}
