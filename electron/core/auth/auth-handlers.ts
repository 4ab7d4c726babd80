import type { Status } from '../../../shared/api/schemas/app';
import type { Handlers } from '../kernel/api/router';
import type { File360Service } from '../remote/file360/service';

export function authHandlers(file360: File360Service, status: () => Status, afterSignOut: () => void) {
  return {
    'auth.signIn': () => file360.startSignIn(),
    'auth.cancelSignIn': () => file360.cancelSignIn(),
    'auth.signOut': async () => {
      await file360.signOut();
      afterSignOut();
      return status();
    },
  } satisfies Pick<Handlers, 'auth.signIn' | 'auth.cancelSignIn' | 'auth.signOut'>;
}
