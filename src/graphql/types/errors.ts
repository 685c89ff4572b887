import { type DomainError, InvalidInputError, type InputIssue } from '../../platform/errors';
import { builder } from '../builder';

/** Implemented by every typed error result; `code` is stable and machine-readable. */
export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.string({ resolve: (error) => error.code }),
  }),
});

const InputIssueType = builder.objectRef<InputIssue>('InputIssue').implement({
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Where in the input, e.g. ["input", "email"]' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    issues: t.field({ type: [InputIssueType], resolve: (error) => error.details.issues }),
  }),
});
