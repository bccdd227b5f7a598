/**
 * Groups, users and memberships of the original, as this project holds them:
 * emails normalized (and duplicates after normalization skipped), names
 * checked by the API's own field schemas, the language taken from the email
 * language, TOTP secrets encrypted like the Worker does, each group in one
 * time zone, each user's primary group their oldest membership.
 */
import { isUsableHash } from '../../src/auth/phc';
import { decryptSecret, encryptSecret } from '../../src/auth/totp';
import { ROLES, type Role } from '../../src/db/schema';
import { GroupDescriptionField, GroupNameField } from '../../src/groups/fields';
import { EmailField, NameField } from '../../src/users/fields';
import { DEFAULT_ADMIN } from './original';
import type { Planning } from './planning';
import { type OriginalSource, readTable, type SourceRow, type SqlValue } from './source';
import type { PlannedTable } from './sql';
import { pairKey, sqliteLower } from './target';
import { readFlag, readId, readLanguage, readText, readTimestamp, readTotpSecret } from './values';

type Row = Record<string, SqlValue>;
type Check<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A value through one of the API's zod field schemas: the reason is the schema's own message. */
function field<T>(
  name: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } },
  value: unknown,
): Check<T> {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: `${name} ${JSON.stringify(value)}: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
}

async function collect(rows: AsyncIterable<SourceRow>): Promise<SourceRow[]> {
  const all: SourceRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

const GROUP_COLUMNS = ['id', 'name', 'description', 'time_zone', 'created_at'] as const;
const USER_COLUMNS = [
  'id',
  'name',
  'email',
  'password_hash',
  'is_admin',
  'is_active',
  'must_change_password',
  'language',
  'email_language',
  'primary_group_id',
  'totp_secret',
  'created_at',
] as const;
const MEMBERSHIP_COLUMNS = ['user_id', 'group_id', 'role', 'created_at'] as const;

const values = (row: Row, columns: readonly string[]) => columns.map((c) => row[c] ?? null);

/** Group names are unique here (case-insensitively), not there: a later namesake gets " (2)", " (3)", … */
function uniqueName(name: string, taken: (lower: string) => boolean): string {
  if (!taken(sqliteLower(name))) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${name.slice(0, 100 - suffix.length)}${suffix}`;
    if (!taken(sqliteLower(candidate))) return candidate;
  }
}

/** The members of each group here. */
function membersHere(planning: Planning): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const m of planning.target.memberships.values()) {
    const group = members.get(String(m.group_id));
    if (group) group.push(String(m.user_id));
    else members.set(String(m.group_id), [String(m.user_id)]);
  }
  return members;
}

/**
 * A group here with a source group's id is that group (an earlier run wrote
 * it) only when it was created at the same time and every member it has here
 * is one of the source's accounts. Otherwise it is someone else's group: the
 * source's memberships must never reach it, let alone as admins. Its id and
 * creation time are no secret to its members; who all its members are, by
 * email, only its admins know.
 */
function ownedBySource(planning: Planning, here: Row, createdAt: string, members: string[]): boolean {
  return String(here.created_at) === createdAt && members.every((userId) => planning.present.users.has(userId));
}

async function planGroups(source: OriginalSource, planning: Planning): Promise<PlannedTable> {
  const { target, options, present, absent } = planning;
  const members = membersHere(planning);
  const rows = await collect(readTable(source, 'groups'));
  const isSourceGroup = (row: SourceRow) => {
    const here = target.groups.get(String(row.id));
    return !here || ownedBySource(planning, here, readTimestamp(row.created_at) ?? '', members.get(String(row.id)) ?? []);
  };
  // The source's groups, here or not yet; a group here under a source id that is not the source's is skipped below.
  const sourceIds = new Set(rows.filter(isSourceGroup).map((r) => String(r.id)));
  const assigned = new Set<string>();
  // A name is taken by a group named so here that is not one of the source's (those are this import's own).
  const taken = (lower: string) => {
    const here = target.groupIdByName.get(lower);
    return assigned.has(lower) || (here !== undefined && !sourceIds.has(here));
  };
  const planned: PlannedTable = { table: 'groups', columns: GROUP_COLUMNS, rows: [] };

  for (const group of rows) {
    planning.seen('groups');
    const id = readId(group.id);
    const name = field('name', GroupNameField, group.name);
    const description = field('description', GroupDescriptionField, group.description ?? '');
    const createdAt = readTimestamp(group.created_at);
    const reason = !id
      ? `id ${JSON.stringify(group.id)} is not a UUID`
      : !name.ok
        ? name.reason
        : !description.ok
          ? description.reason
          : !createdAt
            ? `created_at ${JSON.stringify(group.created_at)} is not a timestamp`
            : !sourceIds.has(id)
              ? `id belongs to another group here ("${target.groups.get(id)!.name}")`
              : null;
    if (reason || !id || !name.ok || !description.ok || !createdAt) {
      planning.skip('groups', String(group.id), reason!);
      absent.groups.set(String(group.id), reason!);
      continue;
    }
    const unique = uniqueName(name.value, taken);
    assigned.add(sqliteLower(unique));
    if (unique !== name.value) planning.note(`group ${id} "${name.value}" is named "${unique}": its name is taken here`);
    const row = { id, name: unique, description: description.value, time_zone: options.timeZone, created_at: createdAt };
    if (planning.reconcile('groups', id, row, target.groups.get(id)) === 'new') planned.rows.push(values(row, GROUP_COLUMNS));
    present.groups.add(id);
  }
  return planned;
}

interface UserCandidate {
  id: string;
  row: Row;
  totp: string;
  createdAt: string;
  isActive: boolean;
  /** Said in the summary when the account is new here. */
  notes: string[];
}

/** Every user row that passes this project's rules, before duplicates and the target are considered. */
async function userCandidates(source: OriginalSource, planning: Planning): Promise<UserCandidate[]> {
  const candidates: UserCandidate[] = [];
  for await (const user of readTable(source, 'users')) {
    planning.seen('users');
    const id = readId(user.id);
    const name = field('name', NameField, user.full_name);
    const email = field('email', EmailField, user.email);
    const language = readLanguage(user.email_language);
    const totp = readTotpSecret(user.totp_secret);
    const createdAt = readTimestamp(user.created_at);
    const reason = !id
      ? `id ${JSON.stringify(user.id)} is not a UUID`
      : !name.ok
        ? name.reason
        : !email.ok
          ? email.reason
          : totp === null
            ? '2FA secret is not a base32 TOTP secret'
            : !createdAt
              ? `created_at ${JSON.stringify(user.created_at)} is not a timestamp`
              : null;
    if (reason || !id || !name.ok || !email.ok || totp === null || !createdAt) {
      planning.skip('users', String(user.id), reason!);
      planning.absent.users.set(String(user.id), reason!);
      continue;
    }
    if (!language) planning.note(`user ${id}: email language ${JSON.stringify(user.email_language)} is read as "en"`);
    const isActive = readFlag(user.is_active);
    const row: Row = {
      id,
      name: name.value,
      email: email.value,
      password_hash: readText(user.password_hash) ?? '',
      is_admin: readFlag(user.is_admin) ? 1 : 0,
      is_active: isActive ? 1 : 0,
      must_change_password: readFlag(user.must_change_password) ? 1 : 0,
      language: language ?? 'en',
      email_language: language ?? 'en',
      created_at: createdAt,
    };
    candidates.push({ id, row, totp, createdAt, isActive, notes: [] });
  }
  return candidates;
}

/**
 * One account per email after normalization: the active one, else the
 * oldest. The other is skipped (their cakes and ratings with them, each
 * listed), never merged by guesswork.
 */
function oneAccountPerEmail(candidates: UserCandidate[], planning: Planning): UserCandidate[] {
  const byEmail = new Map<string, UserCandidate[]>();
  for (const c of candidates) byEmail.set(String(c.row.email), [...(byEmail.get(String(c.row.email)) ?? []), c]);
  const kept: UserCandidate[] = [];
  for (const [email, group] of byEmail) {
    group.sort(
      (a, b) => Number(b.isActive) - Number(a.isActive) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
    const [keeper, ...others] = group;
    kept.push(keeper!);
    for (const other of others) {
      const reason = `duplicate email after normalization: ${email} is imported as user ${keeper!.id}`;
      planning.skip('users', other.id, reason);
      planning.absent.users.set(other.id, reason);
    }
  }
  return kept;
}

async function planUsers(source: OriginalSource, planning: Planning) {
  const { target, options } = planning;
  const users: UserCandidate[] = [];
  for (const user of oneAccountPerEmail(await userCandidates(source, planning), planning)) {
    const other = target.userIdByEmail.get(String(user.row.email));
    if (other !== undefined && other !== user.id) {
      const reason = `email ${user.row.email} is used here by another account (${other})`;
      planning.skip('users', user.id, reason);
      planning.absent.users.set(user.id, reason);
      continue;
    }
    // The email is who an account is: an id here with another email is someone else's account, and the
    // source's memberships, cakes and ratings must not be attached to it.
    const here = target.users.get(user.id);
    if (here && String(here.email) !== user.row.email) {
      const reason = `id belongs to another account here (${here.email})`;
      planning.skip('users', user.id, reason);
      planning.absent.users.set(user.id, reason);
      continue;
    }
    const hash = String(user.row.password_hash);
    if (!isUsableHash(hash)) {
      user.notes.push(
        `user ${user.id} ${user.row.email}: no Argon2id password hash this project can verify; imported, they sign in through forgot-password`,
      );
    } else if (user.row.is_admin && (await options.verifyPassword(hash, DEFAULT_ADMIN.password))) {
      // The original's first start gives its admin a publicly known default password. Imported as it is,
      // whoever signs in first with it (and changes it) becomes a global admin here; without a password,
      // only the owner of the mailbox gets in, through forgot-password.
      user.row.password_hash = '';
      user.notes.push(
        `user ${user.id} ${user.row.email}: an admin whose password is still the original's default (${DEFAULT_ADMIN.password}): ` +
          'imported without a password; they sign in through forgot-password (a temporary password by mail)',
      );
    }
    planning.present.users.add(user.id);
    users.push(user);
  }
  return users;
}

async function planMemberships(source: OriginalSource, planning: Planning) {
  const { target, present } = planning;
  const planned: PlannedTable = { table: 'memberships', columns: MEMBERSHIP_COLUMNS, rows: [] };
  const oldest = new Map<string, { at: string; groupId: string }>();
  for await (const member of readTable(source, 'group_members')) {
    planning.seen('memberships');
    const id = `${member.user_id}|${member.group_id}`;
    const role = member.role === null ? 'member' : String(member.role).trim().toLowerCase();
    const joinedAt = readTimestamp(member.joined_at);
    const reason = !present.users.has(String(member.user_id))
      ? planning.missing('user', 'user', member.user_id)
      : !present.groups.has(String(member.group_id))
        ? planning.missing('group', 'group', member.group_id)
        : !(ROLES as readonly string[]).includes(role)
          ? `role ${JSON.stringify(member.role)} is neither admin nor member`
          : !joinedAt
            ? `joined_at ${JSON.stringify(member.joined_at)} is not a timestamp`
            : null;
    if (reason || !joinedAt) {
      planning.skip('memberships', id, reason!);
      continue;
    }
    const [userId, groupId] = [String(member.user_id), String(member.group_id)];
    const row = { user_id: userId, group_id: groupId, role: role as Role, created_at: joinedAt };
    if (planning.reconcile('memberships', id, row, target.memberships.get(pairKey(userId, groupId))) === 'new') {
      planned.rows.push(values(row, MEMBERSHIP_COLUMNS));
    }
    const first = oldest.get(userId);
    if (!first || joinedAt < first.at || (joinedAt === first.at && groupId < first.groupId))
      oldest.set(userId, { at: joinedAt, groupId });
  }
  return { planned, primaryGroup: (userId: string) => oldest.get(userId)?.groupId ?? null };
}

/** TOTP ciphertexts differ on every run (random IV): the secret is compared, not the text. */
async function sameTotp(planning: Planning, stored: SqlValue | undefined, secret: string): Promise<boolean> {
  if (!stored) return secret === '';
  if (!secret) return false;
  return decryptSecret(planning.options.totpKeys, String(stored)).then(
    (s) => s === secret,
    () => false,
  );
}

export async function planPeople(source: OriginalSource, planning: Planning): Promise<PlannedTable[]> {
  // Accounts first: whether a group here is the source's depends on who its members are.
  const users = await planUsers(source, planning);
  const groups = await planGroups(source, planning);
  const memberships = await planMemberships(source, planning);
  const planned: PlannedTable = { table: 'users', columns: USER_COLUMNS, rows: [] };
  for (const user of users) {
    const existing = planning.target.users.get(user.id);
    const row = { ...user.row, primary_group_id: memberships.primaryGroup(user.id) };
    const totpDiffers = existing ? !(await sameTotp(planning, existing.totp_secret, user.totp)) : false;
    const outcome = planning.reconcile('users', user.id, row, existing, totpDiffers ? ['totp_secret'] : []);
    if (outcome === 'new') {
      for (const note of user.notes) planning.note(note);
      const totpSecret = user.totp ? await encryptSecret(planning.options.totpKeys, user.totp) : null;
      planned.rows.push(values({ ...row, totp_secret: totpSecret }, USER_COLUMNS));
    }
  }
  // Groups before users (a user names a primary group), memberships after both.
  return [groups, planned, memberships.planned];
}
