/**
 * Which Prodigy versions the app works with. 1.12 is the oldest: the app
 * relies on the task routing that PRODIGY_ALLOWED_SESSIONS pre-registers
 * sessions for, and on the recipe arguments as Prodigy's CLI takes them since
 * (prodi.gy/docs/task-routing; prodigy-facts §7); answers carry `_timestamp`
 * since 1.11.
 */
export const MINIMUM_PRODIGY = '1.12.0';

type Parts = [number, number, number];

/** `1.18.4`, `1.18.4-sandbox`, `v1.12.0rc1` → [major, minor, patch]; null when it is not a version. */
export function versionParts(version: string): Parts | null {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

/** True, false, or null when the version cannot be read. */
export function isSupported(version: string): boolean | null {
  const parts = versionParts(version);
  const minimum = versionParts(MINIMUM_PRODIGY) as Parts;
  if (!parts) return null;
  for (let i = 0; i < 3; i += 1) {
    const [have, need] = [parts[i] as number, minimum[i] as number];
    if (have !== need) return have > need;
  }
  return true;
}

/** What the Settings page says about the Prodigy found. */
export function versionWords(version: string | null, problem: string | null): string {
  if (problem) return problem;
  if (!version) return 'Prodigy has not been checked yet.';
  const supported = isSupported(version);
  if (supported === null) return `Prodigy reports version “${version}”, which the app cannot read; it may not work as expected.`;
  if (!supported) {
    return `Prodigy ${version} is older than ${MINIMUM_PRODIGY}, the oldest version this app supports. Sessions may not start, or may lose how tasks are shared between annotators. Ask for Prodigy to be upgraded (pip install --upgrade prodigy).`;
  }
  return `Prodigy ${version}: supported (${MINIMUM_PRODIGY} or newer).`;
}
