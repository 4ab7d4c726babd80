import { describe, expect, it } from 'vitest';
import { checkStorageUrl } from '../../electron/core/remote/file360/content';

/** CONTRACTS §A.6: where a content redirect may send the app, with and without its token. */
describe('where File 360 may send a download', () => {
  const real = new URL('https://file360.acme.example/file360/v1/files/fil-1/content?version=1');
  const sandbox = new URL('http://127.0.0.1:4360/file360/v1/files/fil-1/content?version=1');

  it('follows https anywhere, resolving a relative Location against the request', () => {
    expect(checkStorageUrl('https://bucket.s3.eu-west-1.amazonaws.com/obj?X-Amz-Signature=abc', real, real).host).toBe('bucket.s3.eu-west-1.amazonaws.com');
    expect(checkStorageUrl('/objects/fil-1/1?sig=x', real, real).href).toBe('https://file360.acme.example/objects/fil-1/1?sig=x');
  });

  it('takes plain http only for 127.0.0.1, and only from a File 360 that is itself plain http on this computer', () => {
    expect(checkStorageUrl('http://127.0.0.1:9000/objects/fil-1/1', sandbox, sandbox).port).toBe('9000');
    expect(() => checkStorageUrl('http://127.0.0.1:9000/objects/fil-1/1', real, real)).toThrow('File 360 sent the download to http://127.0.0.1:9000, which is not a secure (https) address; the app did not follow it.');
    expect(() => checkStorageUrl('http://localhost:9000/o', sandbox, sandbox)).toThrow('not a secure (https) address');
    expect(() => checkStorageUrl('http://10.0.0.5/o', sandbox, sandbox)).toThrow('http://10.0.0.5');
  });

  it('refuses no Location, a Location that is no address, another scheme and a user name', () => {
    expect(() => checkStorageUrl(undefined, real, real)).toThrow('without saying where to (no Location)');
    expect(() => checkStorageUrl('https://[', real, real)).toThrow('to something that is not an address');
    expect(() => checkStorageUrl('file:///etc/passwd', real, real)).toThrow('which is not a secure (https) address');
    expect(() => checkStorageUrl('https://me:secret@cdn.example/o', real, real)).toThrow('an address with a user name in it (cdn.example)');
  });
});
