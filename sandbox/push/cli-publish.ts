import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { EVENT_TYPES } from './publish';

export const PUBLISH_HELP = `Usage: npm run sandbox -- publish --type TYPE [recipients] [content] [--server URL]

Publishes a Push notification through a running sandbox (its loopback-only
POST /__sandbox/push/notifications, as the server itself; nobody signs in)
and prints the job: {"job_id":…,"seq_assigned":{"min":…,"max":…}}.

Recipients (at least one, or --broadcast):
  --user U            a user id or username (repeatable)
  --group G           a reviewer group (repeatable)
  --topic T           assignment.{id}, escalations.{group} or user.{id}: users with a device on it
  --broadcast         everyone
Content (at least one of title, summary, data):
  --type TYPE         ${EVENT_TYPES.join(', ')}
  --title TEXT, --summary TEXT
  --data JSON         e.g. '{"assignment_id":"asg-support-triage"}'
  --collapse-key K, --ttl-seconds N
  --server URL        the sandbox's base URL (default http://127.0.0.1:4360)`;

function readData(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`--data ${text}: not JSON.`);
  }
}

/** `npm run sandbox -- publish …`; a refusal is the server's own message, exit 1. */
export async function publishCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      type: { type: 'string' },
      user: { type: 'string', multiple: true },
      group: { type: 'string', multiple: true },
      topic: { type: 'string' },
      broadcast: { type: 'boolean' },
      title: { type: 'string' },
      summary: { type: 'string' },
      data: { type: 'string' },
      'collapse-key': { type: 'string' },
      'ttl-seconds': { type: 'string' },
      server: { type: 'string', default: 'http://127.0.0.1:4360' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(PUBLISH_HELP);
    return;
  }
  const body = {
    users: values.user,
    groups: values.group,
    topic: values.topic,
    broadcast: values.broadcast,
    type: values.type,
    title: values.title,
    summary: values.summary,
    data: readData(values.data),
    collapse_key: values['collapse-key'],
    ttl_seconds: values['ttl-seconds'] === undefined ? undefined : Number(values['ttl-seconds']),
  };
  const url = new URL('/__sandbox/push/notifications', values.server);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify(body),
  }).catch(() => {
    throw new Error(`No sandbox answers at ${values.server}; start one with npm run sandbox (or give --server).`);
  });
  const answer = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new Error(`The sandbox refused the notification (${response.status}): ${answer.message ?? response.statusText}`);
  console.log(JSON.stringify(answer));
}
