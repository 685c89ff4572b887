import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { PothosComplexityPlugin, type ComplexityResult } from '@pothos/plugin-complexity';
import type { GraphQLResolveInfo, OperationDefinitionNode } from 'graphql';

/** What a connection's page counts for when neither `first` nor `last` is given (its default page). */
const DEFAULT_PAGE = 20;

/** How often `pageComplexity` was called: a complexity computed without a call depends on the document alone. */
let pageSizesRead = 0;

/**
 * The complexity of a field that takes a page size, for @pothos/plugin-complexity (the one cost
 * limit): it sees the request's variables, so `first: $n` costs n (a limit that reads only literal
 * page sizes would count it as 1). A connection multiplies what is selected in it by its page size
 * (`first` or `last`).
 */
function pageComplexity(args: Record<string, unknown>) {
  pageSizesRead++;
  const page = Number(args.first ?? args.last ?? DEFAULT_PAGE);
  return { field: 1, multiplier: Number.isFinite(page) ? Math.max(1, page) : DEFAULT_PAGE };
}

/** The complexity of any other field, which depends on the field alone: a list multiplies what is selected in it by 10; a connection's `edges` are its page and add nothing more. */
function fixedComplexity(fieldConfig: PothosOutputFieldConfig<SchemaTypes>) {
  if (fieldConfig.name === 'edges') return { field: 1, multiplier: 1 };
  return fieldConfig.type.kind === 'List' ? { field: 1, multiplier: 10 } : 1;
}

/**
 * Gives every field without a complexity of its own: `pageComplexity` where it depends on the
 * request (a field with a page size), its fixed value everywhere else. The
 * complexity plugin evaluates a field's arguments, once per selected field and request, only to call
 * a function, so a quote's few dozen fields cost it nothing but a lookup each.
 * Listed after the complexity plugin (`documentComplexityPlugin`), so that its field configs reach that plugin already with their complexity.
 */
class PageComplexityPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (fieldConfig.pothosOptions.complexity !== undefined) return fieldConfig;
    const complexity = 'first' in fieldConfig.args ? pageComplexity : fixedComplexity(fieldConfig as PothosOutputFieldConfig<SchemaTypes>);
    return { ...fieldConfig, pothosOptions: { ...fieldConfig.pothosOptions, complexity } } as PothosOutputFieldConfig<Types>;
  }
}

/**
 * @pothos/plugin-complexity, its result remembered per operation when no field with a page size was
 * counted: then the request's variables do not enter it, and a storefront sends the same document
 * request after request (yoga's parser cache hands out the same parsed operation for the same text).
 * The limit and its error are the plugin's own; only the walk over the selection is not repeated.
 */
class DocumentComplexityPlugin<Types extends SchemaTypes> extends PothosComplexityPlugin<Types> {
  constructor(...args: ConstructorParameters<typeof PothosComplexityPlugin<Types>>) {
    super(...args);
    const byOperation = new WeakMap<OperationDefinitionNode, ComplexityResult>();
    const perRequest = this.complexityCache;
    const cached = (context: Types['Context'], info: GraphQLResolveInfo) => {
      const known = byOperation.get(info.operation);
      if (known) return known;
      const before = pageSizesRead;
      const result = perRequest(context, info);
      if (pageSizesRead === before) byOperation.set(info.operation, result);
      return result;
    };
    this.complexityCache = Object.assign(cached, { delete: (context: Types['Context']) => perRequest.delete(context) });
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      pageComplexity: PageComplexityPlugin<Types>;
      documentComplexity: DocumentComplexityPlugin<Types>;
    }
  }
}

const pluginName = 'pageComplexity';
SchemaBuilder.registerPlugin(pluginName, PageComplexityPlugin);
/** The plugin's name, for the builder's `plugins` (as Pothos plugins export theirs). */
export default pluginName;

/** The complexity limit's plugin, in place of `@pothos/plugin-complexity`'s own name in the builder's `plugins`. */
export const documentComplexityPlugin = 'documentComplexity';
SchemaBuilder.registerPlugin(documentComplexityPlugin, DocumentComplexityPlugin);
