import { z } from 'zod';
import { MAX_AMOUNT, whole } from '../../../platform/validation';

export interface AmountStep {
  minimumSpend: number;
  amount: number;
}
export interface PercentStep {
  minimumSpend: number;
  basisPoints: number;
}

/** The highest step `spend` reaches, and the one after it (null when none is left). */
export function stepFor<Step extends { minimumSpend: number }>(steps: Step[], spend: number): { reached: Step | null; next: Step | null } {
  const index = steps.findLastIndex((step) => step.minimumSpend <= spend);
  return { reached: index < 0 ? null : steps[index]!, next: steps[index + 1] ?? null };
}

/**
 * Steps as an admin gives them: 1 to 20, strictly ascending by minimum spend (so none overlaps or
 * repeats another), each giving strictly more than the one below it.
 */
function stepsOf<Step extends { minimumSpend: number }>(step: z.ZodType<Step>, gives: (step: Step) => number, field: string) {
  return z
    .array(step)
    .min(1, 'give at least one step')
    .max(20, 'at most 20 steps')
    .superRefine((steps, context) => {
      for (let index = 1; index < steps.length; index++) {
        const [below, current] = [steps[index - 1]!, steps[index]!];
        if (current.minimumSpend <= below.minimumSpend) {
          context.addIssue({
            code: 'custom',
            path: [index, 'minimumSpend'],
            message: `steps must ascend by minimumSpend, without duplicates (${current.minimumSpend} after ${below.minimumSpend})`,
          });
        } else if (gives(current) <= gives(below)) {
          context.addIssue({
            code: 'custom',
            path: [index, field],
            message: `a step must give more than the one below it (${gives(current)} after ${gives(below)})`,
          });
        }
      }
    });
}

const minimumSpend = whole(0, MAX_AMOUNT);
export const amountStepsSchema = stepsOf<AmountStep>(
  z.object({ minimumSpend, amount: whole(1, MAX_AMOUNT) }),
  (step) => step.amount,
  'amount',
);
export const percentStepsSchema = stepsOf<PercentStep>(
  z.object({ minimumSpend, basisPoints: whole(1, 10_000) }),
  (step) => step.basisPoints,
  'basisPoints',
);
