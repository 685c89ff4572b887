import { encodeGlobalID } from '@pothos/plugin-relay';
import { reminderStatuses, type ReminderRow, type ReminderStatus } from '../../../schema';
import { builder } from '../../graphql/builder';
import { connectionById } from '../../graphql/connections';
import { programIdOf } from '../../graphql/context';
import { parseInput } from '../../graphql/parse-input';
import { requireId } from '../../graphql/global-ids';
import { memberIdFrom } from '../members';
import { OfferNotFoundError } from '../offers';
import { experimentIdFrom, ExperimentNotFoundError } from '../experiments';
import { reminderSettingsUpdateSchema, reminderTypes, type ReminderSettings, type ReminderType } from './settings';

const admin = { admin: true };

/** `points.expiring` ↔ POINTS_EXPIRING */
const ReminderTypeEnum = builder.enumType('ReminderType', {
  values: Object.fromEntries(reminderTypes.map((type) => [type.toUpperCase().replace('.', '_'), { value: type }])) as Record<
    string,
    { value: ReminderType }
  >,
});
const ReminderStatusEnum = builder.enumType('ReminderStatus', {
  values: Object.fromEntries(reminderStatuses.map((status) => [status.toUpperCase(), { value: status }])) as Record<
    string,
    { value: ReminderStatus }
  >,
});

const FrequencyCap = builder.objectRef<ReminderSettings['frequencyCap']>('ReminderFrequencyCap').implement({
  fields: (t) => ({ maxReminders: t.exposeInt('maxReminders'), perDays: t.exposeInt('perDays') }),
});
const QuietHours = builder.objectRef<NonNullable<ReminderSettings['quietHours']>>('QuietHours').implement({
  fields: (t) => ({ start: t.exposeString('start'), end: t.exposeString('end') }),
});

const ReminderSettingsType = builder.objectRef<ReminderSettings>('ReminderSettings').implement({
  fields: (t) => ({
    pointsExpiringLeadDays: t.exposeIntList('pointsExpiringLeadDays'),
    lapsedAfterDays: t.exposeIntList('lapsedAfterDays'),
    birthdayLeadDays: t.exposeIntList('birthdayLeadDays'),
    cartAbandonedAfterHours: t.exposeIntList('cartAbandonedAfterHours'),
    tierDowngradeLeadDays: t.exposeIntList('tierDowngradeLeadDays'),
    frequencyCap: t.field({ type: FrequencyCap, resolve: (settings) => settings.frequencyCap }),
    priorities: t.field({ type: [ReminderTypeEnum], resolve: (settings) => settings.priorities }),
    quietHours: t.field({ type: QuietHours, nullable: true, resolve: (settings) => settings.quietHours }),
    lapsedOfferId: t.id({
      nullable: true,
      resolve: (settings) => (settings.lapsedOfferId ? encodeGlobalID('Offer', settings.lapsedOfferId) : null),
    }),
    birthdayOfferId: t.id({
      nullable: true,
      resolve: (settings) => (settings.birthdayOfferId ? encodeGlobalID('Offer', settings.birthdayOfferId) : null),
    }),
    offerCodeValidDays: t.exposeInt('offerCodeValidDays'),
    experimentId: t.id({
      nullable: true,
      resolve: (settings) => (settings.experimentId ? encodeGlobalID('Experiment', settings.experimentId) : null),
    }),
  }),
});

const offerIdFrom = (id: string | number) => requireId('Offer', id, (raw) => new OfferNotFoundError(raw));

const ReminderObject = builder.objectRef<ReminderRow>('Reminder').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.field({ type: ReminderTypeEnum, resolve: (reminder) => reminder.type as ReminderType }),
    memberId: t.id({ resolve: (reminder) => encodeGlobalID('Member', reminder.memberId) }),
    reason: t.exposeString('reason'),
    status: t.field({ type: ReminderStatusEnum, resolve: (reminder) => reminder.status }),
    suppressedBecause: t.exposeString('suppressedBecause', { nullable: true }),
    eventId: t.string({ nullable: true, resolve: (reminder) => (reminder.status === 'sent' ? reminder.eventId : null) }),
    data: t.field({ type: 'JSONObject', resolve: (reminder) => reminder.data }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime' }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  reminderSettings: t.field({
    type: ReminderSettingsType,
    authScopes: admin,
    resolve: (_root, _args, context) => context.services.reminders.settings(programIdOf(context)),
  }),
  reminders: t.connection({
    type: ReminderObject,
    authScopes: admin,
    args: { status: t.arg({ type: ReminderStatusEnum }), type: t.arg({ type: ReminderTypeEnum }), memberId: t.arg.id() },
    resolve: (_root, args, context) =>
      connectionById(args, (page) =>
        context.services.reminders.list(
          programIdOf(context),
          { status: args.status ?? null, type: args.type ?? null, memberId: args.memberId ? memberIdFrom(args.memberId) : null },
          page,
        ),
      ),
  }),
}));

const FrequencyCapInput = builder.inputType('ReminderFrequencyCapInput', {
  fields: (t) => ({ maxReminders: t.int({ required: true }), perDays: t.int({ required: true }) }),
});
const QuietHoursInput = builder.inputType('QuietHoursInput', {
  fields: (t) => ({ start: t.string({ required: true }), end: t.string({ required: true }) }),
});
const UpdateReminderSettingsInput = builder.inputType('UpdateReminderSettingsInput', {
  fields: (t) => ({
    pointsExpiringLeadDays: t.intList(),
    lapsedAfterDays: t.intList(),
    birthdayLeadDays: t.intList(),
    cartAbandonedAfterHours: t.intList(),
    tierDowngradeLeadDays: t.intList(),
    frequencyCap: t.field({ type: FrequencyCapInput }),
    priorities: t.field({ type: [ReminderTypeEnum] }),
    quietHours: t.field({ type: QuietHoursInput }),
    lapsedOfferId: t.id(),
    birthdayOfferId: t.id(),
    experimentId: t.id(),
    offerCodeValidDays: t.int(),
  }),
});

const ReminderSettingsPayload = builder.objectRef<ReminderSettings>('ReminderSettingsPayload').implement({
  fields: (t) => ({ settings: t.field({ type: ReminderSettingsType, resolve: (settings) => settings }) }),
});

builder.mutationField('updateReminderSettings', (t) =>
  t.field({
    type: ReminderSettingsPayload,
    authScopes: admin,
    args: { input: t.arg({ type: UpdateReminderSettingsInput, required: true }) },
    errors: { types: [OfferNotFoundError, ExperimentNotFoundError], directResult: true, union: { name: 'UpdateReminderSettingsResult' } },
    resolve: (_root, { input }, context) => {
      // A field left out keeps its setting; null turns quiet hours or an offer off.
      const clearable = new Set(['quietHours', 'lapsedOfferId', 'birthdayOfferId', 'experimentId']);
      const present = Object.fromEntries(
        Object.entries(input)
          .filter(([key, value]) => value !== undefined && (value !== null || clearable.has(key)))
          .map(([key, value]) => [
            key,
            (key === 'lapsedOfferId' || key === 'birthdayOfferId') && value != null
              ? offerIdFrom(value as string)
              : key === 'experimentId' && value != null
                ? experimentIdFrom(value as string)
                : value,
          ]),
      );
      return context.services.reminders.updateSettings(programIdOf(context), parseInput(reminderSettingsUpdateSchema, present));
    },
  }),
);
