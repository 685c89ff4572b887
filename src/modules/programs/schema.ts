import { builder } from '../../graphql/builder';
import { programIdOf } from '../../graphql/context';
import type { Program } from './service';

export const ProgramType = builder.node(builder.objectRef<Program>('Program'), {
  description: "A brand's loyalty program: the tenant every token is bound to",
  id: { resolve: (program) => program.id },
  authScopes: (program, context) => context.principal?.programId === program.id,
  loadOne: (id, context) => (context.principal?.programId === id ? context.services.programs.get(id) : Promise.resolve(undefined)),
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('program', (t) =>
  t.field({
    type: ProgramType,
    description: 'The program the token is bound to',
    authScopes: { authenticated: true },
    resolve: async (_root, _args, context) => {
      const program = await context.services.programs.get(programIdOf(context));
      if (!program) throw new Error(`Program ${programIdOf(context)} of a valid token does not exist`);
      return program;
    },
  }),
);
