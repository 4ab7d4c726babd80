/**
 * Whose data a row is: one user of one tenant on one File 360 server. Every
 * table that holds a user's data keys it by these three, so two accounts on
 * one laptop never see each other's assignments, notifications or outbox.
 */
export interface Owner {
  server: string;
  tenant: string;
  userId: string;
}
