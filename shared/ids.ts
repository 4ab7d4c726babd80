/**
 * What an id from File 360 may look like, everywhere: in server answers, in the
 * API, in routes and deep links. Plain data, so the renderer can use it too.
 */
export const REMOTE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
