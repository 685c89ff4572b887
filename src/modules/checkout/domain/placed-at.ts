import { DAY_MS } from '../../../platform/time';
import { PlacedAtOutOfRangeError } from '../errors';

/**
 * An order may be placed up to `maxBackdateDays` days before it is recorded (a till that syncs
 * late), never after: throws PlacedAtOutOfRangeError otherwise.
 */
export function checkPlacedAt(placedAt: Date, now: Date, maxBackdateDays: number): void {
  const earliest = new Date(now.getTime() - maxBackdateDays * DAY_MS);
  if (placedAt > now || placedAt < earliest) throw new PlacedAtOutOfRangeError(placedAt, earliest, now);
}
