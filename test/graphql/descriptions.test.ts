import { describe, expect, it } from 'vitest';
import { buildSchema } from 'graphql';
import { describeSchema, undescribed } from '../../src/graphql/descriptions';
import { schema, unusedDescriptions } from '../../src/api/schema';

describe('SDL descriptions', () => {
  it('describe every type, field, argument, input field and enum value', () => {
    expect(undescribed(schema)).toEqual([]);
  });

  it('are never just the name repeated', () => {
    const echoes = [...Object.entries(schemaDescriptions())].filter(([coordinate, text]) => {
      const name = coordinate.split('.').at(-1)!.toLowerCase();
      return text.replace(/[^a-z]/gi, '').toLowerCase() === name;
    });
    expect(echoes).toEqual([]);
  });

  it('list no reference entry that describes nothing (renamed, or described in code since)', () => {
    expect(unusedDescriptions).toEqual([]);
  });

  it('catch an undescribed element', () => {
    const sdl = buildSchema(`"Reads" type Query { "The total" total(currency: String): Int } enum Kind { A B }`);
    expect(undescribed(sdl)).toEqual(['Query.total.currency', 'Kind', 'Kind.A', 'Kind.B']);
    const { unused } = describeSchema(sdl, {
      Kind: 'A kind',
      'Kind.A': 'First',
      'Kind.B': 'Second',
      'Query.total.currency': 'In this currency',
      'Query.gone': 'x',
    });
    expect(unused).toEqual(['Query.gone']);
    expect(undescribed(sdl)).toEqual([]);
  });
});

function schemaDescriptions(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (type.description) found[type.name] = type.description;
    if ('getFields' in type)
      for (const field of Object.values(type.getFields())) if (field.description) found[`${type.name}.${field.name}`] = field.description;
  }
  return found;
}
