import { describe, expect, it } from 'vitest';
import { receive } from '../../electron/core/remote/push/events';

describe('a notification from Push', () => {
  const wire = { seq: 7, id: 'ntf-7', type: 'review.requested', title: 'Review', summary: 'An item needs you', topic: 'escalations.sme', collapse_key: 'esc-1', created: '2026-11-22T09:00:00Z', expires: null, data: { escalation_id: 'esc-1' } };

  it('becomes what the notification center takes', () => {
    expect(receive(wire)).toEqual({
      seq: 7,
      notification: { source: 'push', seq: 7, remoteId: 'ntf-7', type: 'review.requested', title: 'Review', summary: 'An item needs you', topic: 'escalations.sme', collapseKey: 'esc-1', created: '2026-11-22T09:00:00Z', expires: null, data: { escalation_id: 'esc-1' } },
    });
    const { title: _title, summary: _summary, topic: _topic, collapse_key: _key, expires: _expires, data: _data, ...bare } = wire;
    expect(receive(bare).notification).toMatchObject({ title: '', summary: '', topic: null, collapseKey: null, expires: null, data: {} });
  });

  it('that cannot be read keeps its seq, from its data or else its event id, so the cursor moves past it', () => {
    expect(receive({ ...wire, type: 42 })).toMatchObject({ seq: 7, notification: null, problem: expect.stringContaining('type') });
    expect(receive({ title: 'no seq' }, '9')).toMatchObject({ seq: 9, notification: null });
    expect(receive('garbage', 'not-a-number')).toMatchObject({ seq: null, notification: null });
  });
});
