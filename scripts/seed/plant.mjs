// Puts the demo (scripts/seed/demo.mjs) into a running local API through its
// public endpoints, as an admin and the members would: the same validation,
// hashing, photo handling and live messages as any client gets, and nothing
// that can drift from the schema. Every step first reads what is there and
// adds only what is missing, so a second run adds nothing and a run that
// stopped half-way is completed by the next.
import { addDays, localDate } from '../../src/lib/time.ts';
import { ApiFailure } from './client.mjs';
import { cakesOf, GROUPS, MEMBERS, window } from './demo.mjs';
import { coverPhoto, slicePhoto } from './images.mjs';
import { currentCode, saveRecord } from './record.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const png = (name, bytes) => ({ name, type: 'image/png', bytes });

/**
 * `{ added, census, groups, people }`; `log(step, text)` reports progress.
 * `admin` is `{ email, password }`, `record` the demo record (passwords, anchor, otpauth).
 */
export async function plantDemo({ api, admin, record, stateDir, log }) {
  const added = { groups: 0, members: 0, cakes: 0, photos: 0, ratings: 0, twoFactor: 0, planning: 0 };
  const adminToken = await signInAdmin(api, admin);
  const as = { token: adminToken, as: 'admin' };
  const tokens = new Map();
  const tokenOf = async (person) => {
    if (!tokens.has(person.email)) tokens.set(person.email, await signIn(api, person, record));
    return tokens.get(person.email);
  };

  log(1, 'Groups');
  const groups = {};
  const existingGroups = await api.get('/api/admin/groups', as);
  for (const g of GROUPS) {
    let found = existingGroups.find((x) => x.name.toLowerCase() === g.name.toLowerCase());
    if (!found) {
      found = await api.post('/api/admin/groups', { name: g.name, description: g.description, timeZone: g.timeZone }, as);
      added.groups++;
    }
    groups[g.key] = { ...g, id: found.id, timeZone: found.timeZone };
  }

  log(2, 'Members');
  const people = {};
  const users = await api.get('/api/admin/users', as);
  for (const m of MEMBERS) {
    let user = users.find((u) => u.email === m.email);
    if (!user) {
      const body = { name: m.name, email: m.email, password: record.passwords[m.email], language: m.language };
      const { userId } = await api.post('/api/auth/register', body, { as: m.email });
      user = { id: userId, isActive: false, groups: [], has2FA: false };
      added.members++;
    }
    if (!user.isActive) await api.put(`/api/admin/users/${user.id}/status`, { isActive: true }, as);
    for (const key of m.groups) {
      if (!user.groups.some((g) => g.id === groups[key].id)) {
        await api.post('/api/admin/users/assign-group', { userId: user.id, groupId: groups[key].id }, as);
      }
    }
    if (m.admin && user.groups.find((g) => g.id === groups[m.admin].id)?.role !== 'admin') {
      await api.post('/api/admin/groups/set-role', { userId: user.id, groupId: groups[m.admin].id, role: 'admin' }, as);
    }
    people[m.email] = { ...m, id: user.id, has2FA: user.has2FA };
  }
  // Two members state what they avoid and their diet (only they see it; bakers see counts).
  for (const m of MEMBERS.filter((m) => m.dietary)) {
    const token = await tokenOf(people[m.email]);
    const own = await api.get('/api/user', { token, as: m.email });
    if (own.dietary?.avoids.length === 0 && own.dietary?.diet === null) {
      await api.post('/api/user/settings', { dietary: m.dietary }, { token, as: m.email });
    }
  }

  log(3, 'Cakes and cover photos');
  const plans = [];
  for (const group of Object.values(groups)) {
    const anchor = localDate(group.timeZone, new Date(record.anchor));
    const { start, end } = window(anchor);
    const listed = await api.get(`/api/events?start=${start}&end=${end}&groupId=${group.id}`, as);
    for (const cake of cakesOf(group, anchor)) {
      const baker = people[cake.baker];
      let event = listed.find((e) => e.date === cake.date && e.bakerId === baker.id);
      if (!event) {
        const { date, description, allergens, suitableFor } = cake;
        const fields = { event: JSON.stringify({ date, description, groupId: group.id, allergens, suitableFor }) };
        const files = cake.cover ? { image: png('cake.png', coverPhoto(cake.colors, cake.seed)) } : {};
        ({ event } = await api.upload('/api/events', { fields, files }, { token: await tokenOf(baker), as: baker.email }));
        added.cakes++;
        if (cake.cover) added.photos++;
        log(3, `${cake.date} ${group.name}: ${cake.description}`, true);
      }
      plans.push({ group, cake, event });
    }
  }

  log(4, 'Gallery photos');
  for (const { cake, event } of plans) {
    for (const [i, email] of cake.gallery.entries()) {
      const person = people[email];
      if (event.gallery.some((p) => p.userId === person.id)) continue;
      const photo = png('slice.png', slicePhoto(cake.colors, cake.seed + i + 1));
      await api.upload(`/api/events/${event.id}/photo`, { files: { photo } }, { token: await tokenOf(person), as: email });
      added.photos++;
    }
  }

  log(5, 'Ratings and comments');
  // Each rater's own view of a group tells what they have rated already.
  const views = new Map();
  const myRatings = async (person, group) => {
    const key = `${person.email}:${group.key}`;
    if (!views.has(key)) {
      const { start, end } = window(localDate(group.timeZone, new Date(record.anchor)));
      const list = await api.get(`/api/events?start=${start}&end=${end}&groupId=${group.id}`, {
        token: await tokenOf(person),
        as: person.email,
      });
      views.set(key, new Map(list.map((e) => [e.id, e.rating.myRating])));
    }
    return views.get(key);
  };
  for (const { group, cake, event } of plans) {
    if (event.rating.count >= cake.ratings.length) continue;
    for (const rating of cake.ratings) {
      const person = people[rating.by];
      if ((await myRatings(person, group)).get(event.id)) continue;
      const body = rating.comment ? { stars: rating.stars, comment: rating.comment } : { stars: rating.stars };
      await api.post(`/api/events/${event.id}/rate`, body, { token: await tokenOf(person), as: person.email });
      added.ratings++;
    }
  }

  // Last, so the member's earlier steps never needed a code.
  log(6, 'Two-factor sign-in');
  for (const m of MEMBERS.filter((m) => m.twoFactor)) {
    const person = people[m.email];
    if (person.has2FA) continue;
    const token = await tokenOf(person);
    const { otpauth, secret } = await api.post('/api/auth/2fa/setup', {}, { token, as: m.email });
    // Kept before activating: a run that stops right after still knows the secret.
    record.otpauth = otpauth;
    saveRecord(stateDir, record);
    await api.post('/api/auth/2fa/activate', { secret, code: currentCode(otpauth).code }, { token, as: m.email });
    person.has2FA = true;
    added.twoFactor++;
  }

  // Planning: the first group bakes every Friday from today on. Its members joined just now, so the
  // demo's earlier cakes were before their time (the ledger owes nobody for the past); a cake of
  // today is shared by all of them at once, so the rotation has something to say. One member is
  // away next week; the next open Friday is assigned (pending).
  log(7, 'Planning');
  const planned = Object.values(groups)[0];
  const today = localDate(planned.timeZone);
  const schedule = await api.get(`/api/groups/${planned.id}/schedule`, as);
  if (schedule.rule === null) {
    await api.put(`/api/groups/${planned.id}/schedule`, { rule: 'FREQ=WEEKLY;BYDAY=FR', startDate: today, leadDays: 14 }, as);
    added.planning++;
  }
  const lead = MEMBERS.find((m) => m.admin === planned.key);
  const todays = await api.get(`/api/events?start=${today}&end=${today}&groupId=${planned.id}`, as);
  if (todays.length === 0) {
    const body = { date: today, description: 'Marmorkuchen for the new schedule', groupId: planned.id };
    await api.post('/api/events', body, { token: await tokenOf(people[lead.email]), as: lead.email });
    added.cakes++;
  }
  const away = MEMBERS.find((m) => m.groups.includes(planned.key) && !m.twoFactor && !m.admin);
  const awayToken = await tokenOf(people[away.email]);
  const absences = await api.get('/api/user/absences', { token: awayToken, as: away.email });
  if (absences.length === 0) {
    const from = addDays(localDate(planned.timeZone), 7);
    await api.post(
      '/api/user/absences',
      { from, to: addDays(from, 6), groupId: planned.id },
      { token: awayToken, as: away.email },
    );
    added.planning++;
  }
  // One pending assignment: the first open cake day after today goes to the first of the rotation.
  const days = await api.get(`/api/groups/${planned.id}/cake-days?from=${today}&to=${addDays(today, 60)}`, as);
  let assignment = days.find((d) => d.assignment?.status === 'pending')?.assignment;
  if (!assignment) {
    const open = days.find((d) => d.open && d.date > today);
    if (open) {
      assignment = await api.post(`/api/groups/${planned.id}/cake-days/${open.date}/assignment`, {}, as);
      added.planning++;
    }
  }

  return {
    added,
    census: await census(api, as, groups, record),
    groups,
    people,
    tokenOf,
    planning: { group: planned, away, assignment },
  };
}

async function signInAdmin(api, admin) {
  let answer;
  try {
    answer = await api.post('/api/auth/login', admin, { as: 'admin' });
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) {
      throw new Error(
        `Cannot sign in as the admin of .dev.vars (${admin.email}): this local state's admin has another password.\n` +
          'Put the right one in ADMIN_PASSWORD, or start from an empty state: npm run seed -- --reset',
      );
    }
    throw error;
  }
  if (!answer.token) throw new Error(`The admin ${admin.email} signs in with two-factor codes; the seed cannot act as it.`);
  if (answer.user?.mustChangePassword)
    throw new Error(`The admin ${admin.email} must change its password first (sign in once and change it).`);
  return answer.token;
}

/** A demo member's session; the two-factor member signs in with a code of the stored secret. */
async function signIn(api, person, record) {
  const credentials = { email: person.email, password: record.passwords[person.email] };
  let answer;
  try {
    answer = await api.post('/api/auth/login', credentials, { as: person.email });
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) {
      throw new Error(`${person.email} exists but not with the demo password kept here; start over with npm run seed -- --reset`);
    }
    throw error;
  }
  if (answer.token) return answer.token;
  if (!record.otpauth)
    throw new Error(`${person.email} has two-factor on, but its secret is not kept here; start over with --reset`);
  for (let attempt = 0; ; attempt++) {
    try {
      const { code } = currentCode(record.otpauth);
      return (await api.post('/api/auth/login', { ...credentials, code }, { as: person.email })).token;
    } catch (error) {
      // A code is accepted once: right after an earlier use, wait for the next one.
      if (attempt > 0 || !(error instanceof ApiFailure) || error.status !== 401) throw error;
      await sleep(currentCode(record.otpauth).validFor * 1000 + 500);
    }
  }
}

/** What the demo's groups hold now, as the admin sees them. */
async function census(api, as, groups, record) {
  const totals = { groups: Object.keys(groups).length, members: MEMBERS.length, cakes: 0, photos: 0, ratings: 0 };
  for (const group of Object.values(groups)) {
    const { start, end } = window(localDate(group.timeZone, new Date(record.anchor)));
    for (const e of await api.get(`/api/events?start=${start}&end=${end}&groupId=${group.id}`, as)) {
      totals.cakes++;
      totals.photos += (e.photoUrl ? 1 : 0) + e.gallery.length;
      totals.ratings += e.rating.count;
    }
  }
  const hallOfFame = await api.get('/api/events/ranked?limit=3', as);
  return { totals, hallOfFame };
}
