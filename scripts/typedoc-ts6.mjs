// `npm run docs` runs TypeDoc, which needs TypeScript's JS API; the repo compiles with TypeScript 7
// (the Go port, no JS API). This hook hands TypeDoc the JS compiler installed as `typescript6`.
import { register } from 'node:module';

register(
  'data:text/javascript,' + encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/typedoc/')) return next('typescript6', context);
      return next(specifier, context);
    }`),
  import.meta.url,
);
