import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { apiReference } from './api-reference';

/** The paging arguments of every Relay connection field. */
const pagingArguments: Record<string, string> = {
  first: 'Page forward: at most this many items after `after` (20 when neither `first` nor `last` is given, at most 100).',
  after: 'Page forward from this cursor (an `endCursor` or an edge `cursor` of the previous page).',
  last: 'Page backward: at most this many items before `before` (at most 100).',
  before: 'Page backward from this cursor (a `startCursor` or an edge `cursor` of the next page).',
};

const pageInfoFields: Record<string, string> = {
  hasNextPage: 'Whether more items follow this page (ask for them with `after: endCursor`).',
  hasPreviousPage: 'Whether items come before this page (ask for them with `before: startCursor`).',
  startCursor: 'The cursor of the first item of this page; null for an empty page.',
  endCursor: 'The cursor of the last item of this page; null for an empty page.',
};

/**
 * Types and fields that plugins generate follow one pattern each (Relay connections and edges,
 * the errors plugin's `XResult` unions, `input` arguments, fields that implement an interface), so
 * their descriptions are derived here; everything written by hand lives beside its code or in
 * `api-reference.ts`.
 */
function derivedDescriptions(schema: GraphQLSchema): Map<string, string> {
  const derived = new Map<string, string>();
  const resultOf = new Map<string, string>();
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      resultOf.set(getNamedType(field.type).name, field.name);
      const input = field.args.find((arg) => arg.name === 'input');
      if (input)
        derived.set(`${root!.name}.${field.name}.input`, `The parameters of \`${field.name}\` (see \`${getNamedType(input.type).name}\`).`);
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name === 'PageInfo' && isObjectType(type)) {
      derived.set('PageInfo', 'Where a page of a cursor connection stands in the whole list.');
      for (const [name, text] of Object.entries(pageInfoFields)) derived.set(`PageInfo.${name}`, text);
    }
    if (isUnionType(type) && type.name.endsWith('Result') && resultOf.has(type.name)) {
      const success = type
        .getTypes()
        .filter((member) => !member.getInterfaces().some((implemented) => implemented.name === 'Error'))
        .map((member) => member.name);
      derived.set(
        type.name,
        `What \`${resultOf.get(type.name)}\` returns: ${success.map((name) => `\`${name}\``).join(' or ')} on success, otherwise one of the typed errors (each implements \`Error\`).`,
      );
    }
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    if (type.name.endsWith('ConnectionEdge')) {
      const item = getNamedType(type.getFields().node?.type)?.name;
      derived.set(type.name, `One \`${item}\` of a \`${type.name.replace(/Edge$/, '')}\` page, with its cursor.`);
      derived.set(`${type.name}.node`, `The \`${item}\` itself.`);
      derived.set(`${type.name}.cursor`, 'Pass it as `after` (or `before`) to page on from this item.');
    } else if (type.name.endsWith('Connection')) {
      const item = getNamedType(type.getFields().edges?.type);
      const node = item && isObjectType(item) ? getNamedType(item.getFields().node?.type)?.name : undefined;
      derived.set(
        type.name,
        `A page of \`${node}\` items (a Relay cursor connection): the items in \`edges\`, and \`pageInfo\` to ask for the next or previous page.`,
      );
      derived.set(`${type.name}.edges`, 'The items of this page, in the list’s order, each with its cursor.');
      derived.set(`${type.name}.pageInfo`, 'Whether there are more pages, and the cursors to ask for them.');
    }
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const isConnection = getNamedType(field.type).name.endsWith('Connection');
      for (const arg of field.args) {
        if (isConnection && pagingArguments[arg.name]) derived.set(`${type.name}.${field.name}.${arg.name}`, pagingArguments[arg.name]!);
      }
      if (isObjectType(type)) {
        for (const implemented of type.getInterfaces()) {
          const description = implemented.getFields()[field.name]?.description;
          if (description) derived.set(`${type.name}.${field.name}`, description);
        }
      }
    }
  }
  return derived;
}

/** Every describable element of the schema by its coordinate (`Type`, `Type.field`, `Type.field.arg`, `Enum.VALUE`). */
function elements(schema: GraphQLSchema) {
  const found = new Map<string, { description?: string | null | undefined }>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    found.set(type.name, type);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        found.set(`${type.name}.${field.name}`, field);
        for (const arg of field.args) found.set(`${type.name}.${field.name}.${arg.name}`, arg);
      }
    }
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) found.set(`${type.name}.${field.name}`, field);
    if (isEnumType(type)) for (const value of type.getValues()) found.set(`${type.name}.${value.name}`, value);
  }
  return found;
}

const builtInScalars = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/**
 * Fills in the descriptions the schema's code leaves out (derived, then from `api-reference.ts`),
 * so that GraphiQL's docs and the printed SDL describe every type, field, argument and enum value.
 * A description written in code always wins; `unused` lists reference entries that describe nothing
 * (a renamed field, or one described in code since): a test keeps that list empty.
 */
export function describeSchema(schema: GraphQLSchema, reference: Record<string, string> = apiReference) {
  const all = elements(schema);
  const unused: string[] = [];
  for (const [coordinate, text] of Object.entries(reference)) {
    const element = all.get(coordinate);
    if (!element || element.description) unused.push(coordinate);
    else element.description = text;
  }
  for (const [coordinate, text] of derivedDescriptions(schema)) {
    const element = all.get(coordinate);
    if (element && !element.description) element.description = text;
  }
  return { schema, unused };
}

/** Coordinates that still have no description (built-in scalars and introspection types aside). */
export function undescribed(schema: GraphQLSchema): string[] {
  return [...elements(schema)]
    .filter(([coordinate, element]) => !builtInScalars.has(coordinate) && !element.description?.trim())
    .map(([coordinate]) => coordinate);
}
