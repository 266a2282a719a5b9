// Module resolution hook: a plugin loaded from a directory where @pgshift/plugin-api (or
// @pgshift/conformance) is not installed yet gets this installation's copy, so a freshly
// scaffolded plugin can be listed, checked and tested before its `npm install`. An installed
// copy always wins: the fallback applies only when Node finds none.
let fallbacks = {};

export function initialize(data) {
  fallbacks = data ?? {};
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fallback = fallbacks[specifier];
    if (fallback && error?.code === 'ERR_MODULE_NOT_FOUND') return nextResolve(fallback, context);
    throw error;
  }
}
