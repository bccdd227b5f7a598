/** ASSIGNMENT_CHANGED on the group's stream: assigned, accepted (with the cake's NEW_EVENT), declined, withdrawn. */
import { describe, expect, it } from 'vitest';
import { addMember, call, groupWith, json, type TestUser } from '../helpers/api';
import { dayIn } from '../helpers/events';
import { SseClient } from '../helpers/live';

describe('live messages of assignment changes', () => {
  it('tells the group every change of an assignment, and nothing to others', async () => {
    const { group, users } = await groupWith(2);
    const [lead, anna] = users as [TestUser, TestUser];
    await addMember(lead.id, group.id, 'admin');
    const schedule = { rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU', startDate: dayIn(0) };
    await json(call('PUT', `/api/groups/${group.id}/schedule`, { token: lead.token, body: schedule }), 200);
    const outsider = (await groupWith(1)).users[0]!;
    const stream = await SseClient.open({ token: lead.token });
    const other = await SseClient.open({ token: outsider.token });

    const assign = (date: string) =>
      json(
        call('POST', `/api/groups/${group.id}/cake-days/${date}/assignment`, { token: lead.token, body: { userId: anna.id } }),
        201,
      );
    const first = await assign(dayIn(2));
    const { event } = await json(call('POST', `/api/assignments/${first.id}/accept`, { token: anna.token, body: {} }), 201);
    const second = await assign(dayIn(3));
    await json(call('POST', `/api/assignments/${second.id}/decline`, { token: anna.token, body: {} }), 200);
    const third = await assign(dayIn(4));
    await json(call('DELETE', `/api/assignments/${third.id}`, { token: lead.token }), 200);

    const changed = (a: { id: string; date: string }, status: string) =>
      expect.objectContaining({
        type: 'ASSIGNMENT_CHANGED',
        groupId: group.id,
        date: a.date,
        assignmentId: a.id,
        status,
        userId: anna.id,
      });
    const messages = (await stream.messages(7)).map((m) => m.data);
    expect(messages).toEqual(
      expect.arrayContaining([
        changed(first, 'pending'),
        changed(first, 'accepted'),
        expect.objectContaining({ type: 'NEW_EVENT', groupId: group.id, eventId: event.id }),
        changed(second, 'pending'),
        changed(second, 'declined'),
        changed(third, 'pending'),
        changed(third, 'withdrawn'),
      ]),
    );
    await other.expectSilence();
    await Promise.all([stream.close(), other.close()]);
  });
});
