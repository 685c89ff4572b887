import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Table ownership (README "Architecture"): a table belongs to the module its schema file names
 * (`schema/<module>.ts`), and only that module's files touch it, by importing its definition, by
 * `db.query.<table>`, or by naming it in raw SQL. Any other code reads it through the owner's public
 * surface, e.g. the orders module's `memberOrdersSinceSql` for a subquery that segments composes.
 */
const root = resolve(__dirname, '../..');
const SHARED = 'shared';

/** Schema files whose owner is not the module of the same name. */
const ownerOfSchemaFile: Record<string, string> = {
  jobs: 'src/jobs/',
  webhooks: 'src/modules/events/',
  // A tracked cart is checkout's: quoted like any cart, ended by the order recorded from it.
  carts: 'src/modules/checkout/',
  // The transactional outbox (DESIGN.md §12): every module appends its events in its own batch.
  outbox: SHARED,
  // Versions of the state serializers keep in memory: raised by triggers on other modules' tables,
  // guarded and read by the platform's state-version helpers (src/platform/db/state-versions.ts).
  'state-versions': SHARED,
};

/** Files of schema/ that define no table. */
const notTables = new Set(['index', 'columns', 'constraints', 'values']);

/**
 * Every cross-module table access still allowed, by file and table identifier, with why. An entry
 * that no longer matches an access fails the test, so the list only shrinks.
 */
const allowed: Array<{ file: string; tables: string[]; why: string }> = [
  ...['sql', 'refresh', 'service'].map((name) => ({
    file: `src/modules/segments/${name}.ts`,
    tables: ['members'],
    why: 'a segment is a condition over the members table: the refresh selects members set-based and the leaves test member columns (tags, attributes, birthday, consent, enrolled); members has no member-scan builder to offer yet',
  })),
  {
    file: 'src/modules/tiers/bulk-recalculation.ts',
    tables: ['members'],
    why: 'the set-based recalculation walks the active members of a program in id order, in one statement per chunk',
  },
];

/** Not checked: the layer below every module (the drizzle client built from the whole schema, the health probe, the outbox writer). */
const unchecked = ['src/platform/'];

const sourceOf = (path: string) => ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Table {
  identifier: string;
  sqlName: string;
  owner: string;
}

/** Every table of schema/: its exported identifier, its SQL name and the folder that owns it. */
function tables(): Table[] {
  return readdirSync(join(root, 'schema'))
    .filter((name) => name.endsWith('.ts') && !notTables.has(name.slice(0, -3)))
    .flatMap((name) => {
      const stem = name.slice(0, -3);
      const owner = ownerOfSchemaFile[stem] ?? `src/modules/${stem}/`;
      if (owner !== SHARED && !existsSync(join(root, owner)))
        throw new Error(`schema/${name} names no module: add src/modules/${stem}/ or its owner to ownerOfSchemaFile`);
      return sourceOf(join(root, 'schema', name)).statements.flatMap((statement) => {
        if (!ts.isVariableStatement(statement)) return [];
        return statement.declarationList.declarations.flatMap((declaration) => {
          const call = declaration.initializer;
          if (!call || !ts.isCallExpression(call) || call.expression.getText() !== 'sqliteTable') return [];
          const [sqlName] = call.arguments;
          if (!sqlName || !ts.isStringLiteral(sqlName)) return [];
          return [{ identifier: declaration.name.getText(), sqlName: sqlName.text, owner }];
        });
      });
    });
}

/** The area a source file belongs to: its module folder, src/jobs/, or the file alone (which owns no table). */
function areaOf(file: string): string {
  return /^src\/(modules\/[^/]+|jobs)\//.exec(file)?.[0] ?? file;
}

const SQL_TABLE = /\b(?:from|join|into|update)\s+([a-z_][a-z0-9_]*)\b/gi;

/** Text of a `sql` tagged template or of a `sql.raw('…')` argument (not prose such as descriptions). */
function isSqlText(node: ts.Node): node is ts.LiteralLikeNode {
  if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) {
    const template = ts.isNoSubstitutionTemplateLiteral(node) ? node : ts.isTemplateHead(node) ? node.parent : node.parent.parent;
    return ts.isTaggedTemplateExpression(template.parent) && template.parent.tag.getText() === 'sql';
  }
  return ts.isStringLiteral(node) && ts.isCallExpression(node.parent) && node.parent.expression.getText() === 'sql.raw';
}

/**
 * The tables a file touches: value imports from schema/, `<namespace>.<table>` of `import * as` from
 * schema/, `db.query.<table>`, and tables named in SQL text.
 */
function touchedTables(path: string, byIdentifier: Map<string, Table>, bySqlName: Map<string, Table>): Set<Table> {
  const touched = new Set<Table>();
  const namespaces = new Set<string>();
  const source = sourceOf(path);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      const target = relative(root, resolve(join(path, '..'), node.moduleSpecifier.text));
      const bindings = node.importClause?.namedBindings;
      if ((target === 'schema' || target.startsWith('schema/')) && bindings) {
        if (ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
        else
          for (const specifier of bindings.elements) {
            const table = !specifier.isTypeOnly && byIdentifier.get((specifier.propertyName ?? specifier.name).text);
            if (table) touched.add(table);
          }
      }
    }
    if (ts.isPropertyAccessExpression(node)) {
      const via = node.expression;
      const table = byIdentifier.get(node.name.text);
      if (
        table &&
        ((ts.isPropertyAccessExpression(via) && via.name.text === 'query') || (ts.isIdentifier(via) && namespaces.has(via.text)))
      )
        touched.add(table);
    }
    if (isSqlText(node))
      for (const [, name] of node.text.matchAll(SQL_TABLE)) {
        const table = bySqlName.get(name!.toLowerCase());
        if (table) touched.add(table);
      }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return touched;
}

describe('table ownership', () => {
  const all = tables();
  const byIdentifier = new Map(all.map((table) => [table.identifier, table]));
  const bySqlName = new Map(all.map((table) => [table.sqlName, table]));
  const accesses = tsFiles(join(root, 'src'))
    .map((path) => relative(root, path))
    .filter((file) => !unchecked.some((prefix) => file.startsWith(prefix)))
    .flatMap((file) =>
      [...touchedTables(join(root, file), byIdentifier, bySqlName)]
        .filter((table) => table.owner !== SHARED && table.owner !== areaOf(file))
        .map((table) => ({ file, table })),
    );

  it('reads every table of schema/ with its owner', () => {
    expect(all.length).toBeGreaterThan(30);
    expect(byIdentifier.get('memberStats')).toMatchObject({ sqlName: 'member_stats', owner: 'src/modules/history/' });
    expect(byIdentifier.get('orderRefunds')?.owner).toBe('src/modules/orders/');
    expect(byIdentifier.get('webhookEndpoints')?.owner).toBe('src/modules/events/');
  });

  it("lets a module touch only its own tables (another module's go through that module's index.ts)", () => {
    const violations = accesses
      .filter(({ file, table }) => !allowed.some((entry) => entry.file === file && entry.tables.includes(table.identifier)))
      .map(
        ({ file, table }) => `${file} touches ${table.identifier} (${table.sqlName}), owned by ${table.owner}: use ${table.owner}index.ts`,
      );
    expect(violations).toEqual([]);
  });

  it('allows no exception that is no longer used', () => {
    const stale = allowed.flatMap((entry) =>
      entry.tables
        .filter((identifier) => !accesses.some(({ file, table }) => file === entry.file && table.identifier === identifier))
        .map((identifier) => `${entry.file}: ${identifier}`),
    );
    expect(stale).toEqual([]);
  });
});
