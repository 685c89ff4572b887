import { readFileSync } from 'node:fs';

/** The README's text from `heading` up to the next heading of the same or a higher level. */
export function readmeSection(heading: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const level = heading.match(/^#+/)![0].length;
  const after = readme.split(`\n${heading}\n`)[1];
  if (after === undefined) throw new Error(`README has no section "${heading}"`);
  return after.split(new RegExp(`\\n#{1,${level}} `))[0]!;
}

/** The GraphQL blocks of a README section, in order. */
export function graphqlBlocks(section: string): string[] {
  return [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!.trim());
}
