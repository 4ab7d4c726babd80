import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, externalLinkDecision, isAllowedFrameNavigation, isAllowedNavigation, isAppUrl, isPermissionGranted, isTrustedSender } from '../../electron/policy';
import { prodigyPageCsp, withProdigyPageHeaders } from '../../electron/core/kernel/platform/prodigy-page';
import { safeExternalUrl } from '../../electron/core/kernel/platform/opener';
import { parseDeepLink, parseHash, routeToHash } from '../../shared/routes';

describe('the Electron shell’s trust decisions', () => {
  it('recognises the app’s own pages by parsed scheme and host, never by prefix', () => {
    expect(isAppUrl('app://bundle/index.html')).toBe(true);
    expect(isAppUrl('app://bundle/index.html#/audit')).toBe(true);
    expect(isAppUrl('app://bundle.evil/index.html')).toBe(false);
    expect(isAppUrl('app://user:pw@bundle/index.html')).toBe(false);
    expect(isAppUrl('https://bundle/index.html')).toBe(false);
    expect(isAppUrl('file:///app/bundle/index.html')).toBe(false);
    expect(isAppUrl('')).toBe(false);
    expect(isAppUrl(null)).toBe(false);
  });

  it('answers IPC only from the app’s top frame', () => {
    expect(isTrustedSender({ url: 'app://bundle/index.html', isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://bundle/index.html', isTopFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'http://127.0.0.1:8080/', isTopFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('keeps the window on the app', () => {
    expect(isAllowedNavigation('app://bundle/index.html#/settings')).toBe(true);
    expect(isAllowedNavigation('https://example.com')).toBe(false);
  });

  it('keeps a Prodigy window on its own session, away from the app and other local servers', () => {
    const own = 'http://127.0.0.1:8123';
    expect(isAllowedNavigation('http://127.0.0.1:8123/?session=ana', own)).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:8124/', own)).toBe(false);
    expect(isAllowedNavigation('http://localhost:8123/', own)).toBe(false);
    expect(isAllowedNavigation('app://bundle/index.html#/settings', own)).toBe(false);
  });

  it('grants only notifications, only to the app window’s own main frame', () => {
    const app = { fromAppWindow: true, requestingUrl: 'app://bundle/index.html', isMainFrame: true };
    expect(isPermissionGranted('notifications', app)).toBe(true);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'hid']) {
      expect(isPermissionGranted(permission, app)).toBe(false);
    }
    expect(isPermissionGranted('notifications', { ...app, fromAppWindow: false })).toBe(false);
    expect(isPermissionGranted('notifications', { ...app, isMainFrame: false })).toBe(false);
    expect(isPermissionGranted('notifications', { ...app, requestingUrl: 'http://127.0.0.1:8080/' })).toBe(false);
  });

  it('opens only http(s) links externally, re-serialised', () => {
    expect(safeExternalUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'not a url', '']) {
      expect(safeExternalUrl(bad)).toBeNull();
    }
  });
});

describe('deep links', () => {
  it('turn companion:// links into places in the app', () => {
    expect(parseDeepLink('companion://reviews/esc-42')).toEqual({ section: 'reviews', id: 'esc-42' });
    expect(parseDeepLink('companion://audit')).toEqual({ section: 'audit' });
    expect(parseDeepLink('companion://assignments/asg%3A7')).toEqual({ section: 'assignments', id: 'asg:7' });
  });

  it('ignore anything malformed or foreign', () => {
    for (const bad of [
      'companion://nowhere/1',
      'companion://reviews/a/b',
      'companion://reviews/..%2f..%2fetc',
      'companion://reviews/%E0%A4%A',
      'companion://user:pw@audit',
      'companion://audit:8080',
      'https://audit',
      'companion:audit',
      `companion://reviews/${'x'.repeat(200)}`,
    ]) {
      expect(parseDeepLink(bad), bad).toBeNull();
    }
  });

  it('are found in a second instance’s command line', () => {
    expect(deepLinkFromArgv(['/usr/bin/app', '--flag', 'companion://audit'], 'companion')).toBe('companion://audit');
    expect(deepLinkFromArgv(['/usr/bin/app'], 'companion')).toBeNull();
  });

  it('mean the same place as the UI’s #hash', () => {
    const route = { section: 'reviews', id: 'esc:42' } as const;
    expect(parseHash(routeToHash(route))).toEqual(route);
    expect(parseHash('#/settings')).toEqual({ section: 'settings' });
    expect(parseHash('#token=abc')).toBeNull();
  });
});

describe('links and frames in a Prodigy window (issue 13)', () => {
  const PRODIGY = 'http://127.0.0.1:8123';

  it('asks before a Prodigy page opens an outside link, showing the address; the app’s own page just opens it', () => {
    expect(externalLinkDecision('https://docs.example/help?x=1', false)).toEqual({ action: 'open', url: 'https://docs.example/help?x=1' });
    const asked = externalLinkDecision('https://collector.example/steal?answers=…', true);
    expect(asked).toMatchObject({ action: 'ask', url: 'https://collector.example/steal?answers=%E2%80%A6', message: 'Open collector.example in your browser?', buttons: ['Open in browser', 'Cancel'] });
    expect(asked.action === 'ask' && asked.detail).toContain('https://collector.example/steal?answers=%E2%80%A6');
    for (const raw of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'not a url']) expect(externalLinkDecision(raw, true)).toEqual({ action: 'deny' });
  });

  it('lets a Prodigy window’s sub-frames load only Prodigy’s own pages or an empty document; the app’s page none', () => {
    expect(isAllowedFrameNavigation(`${PRODIGY}/instructions`, PRODIGY)).toBe(true);
    expect(isAllowedFrameNavigation('about:blank', PRODIGY)).toBe(true);
    expect(isAllowedFrameNavigation('about:srcdoc', PRODIGY)).toBe(true);
    expect(isAllowedFrameNavigation('https://evil.example/', PRODIGY)).toBe(false);
    expect(isAllowedFrameNavigation('http://127.0.0.1:8124/', PRODIGY)).toBe(false);
    expect(isAllowedFrameNavigation('data:text/html,<script>1</script>', PRODIGY)).toBe(false);
    expect(isAllowedFrameNavigation('app://bundle/index.html', null)).toBe(false);
  });

  it('puts the CSP with frame-ancestors on Prodigy’s answers, keeping a policy Prodigy sent beside it', () => {
    const headers = withProdigyPageHeaders({ 'content-type': ['text/html'], 'content-security-policy': ["script-src 'nonce-x'"], 'x-frame-options': ['ALLOW'] });
    expect(headers['Content-Security-Policy']).toEqual(["script-src 'nonce-x'", prodigyPageCsp()]);
    expect(prodigyPageCsp()).toContain("frame-ancestors 'none'");
    expect(prodigyPageCsp()).toContain("connect-src 'self'");
    expect(headers['X-Frame-Options']).toEqual(['DENY']);
    expect(headers['x-frame-options']).toBeUndefined();
    expect(headers['content-type']).toEqual(['text/html']);
  });
});
