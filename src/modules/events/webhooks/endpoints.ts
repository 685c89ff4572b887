import { z } from 'zod';
import { eventTypes, type EventType } from '../../../platform/outbox';
import { InvalidInputError } from '../../../platform/errors';
import { endpointUrlProblem, type UrlPolicy } from './url-policy';

/** Types an endpoint may subscribe to (a test event goes only to the endpoint it is sent to). */
export const subscribableEventTypes = eventTypes.filter((type) => type !== 'webhook.test');

const eventTypeList = z
  .array(z.string())
  .min(1, 'name at least one event type')
  .max(subscribableEventTypes.length)
  .transform((types, context) => {
    const unknown = types.filter((type) => !(subscribableEventTypes as string[]).includes(type));
    if (unknown.length > 0)
      context.addIssue({
        code: 'custom',
        message: `unknown event type(s): ${unknown.join(', ')}; known: ${subscribableEventTypes.join(', ')}`,
      });
    return [...new Set(types)].sort() as EventType[];
  });
const description = z.string().trim().max(500).nullish();

export const newEndpointSchema = z.object({ url: z.string().trim(), eventTypes: eventTypeList, description });
export const endpointUpdateSchema = z.object({
  url: z.string().trim().nullish(),
  eventTypes: eventTypeList.nullish(),
  description,
  enabled: z.boolean().nullish(),
});

/** Longest grace period during which the previous secret still signs after a rotation. */
export const MAX_ROTATION_GRACE_HOURS = 7 * 24;
export const DEFAULT_ROTATION_GRACE_HOURS = 24;

/** Refuses a URL the policy does not allow, as a typed input error on `input.url`. */
export async function checkEndpointUrl(url: string, policy: UrlPolicy): Promise<void> {
  const problem = await endpointUrlProblem(url, policy);
  if (problem) throw new InvalidInputError([{ path: ['input', 'url'], message: problem }]);
}
