// Module resolution hook: a plugin loaded from a directory where @pgshift/plugin-api (or
// @pgshift/conformance) is not installed yet gets this installation's copy, so a freshly
// scaffolded plugin can be listed, checked and tested before its `npm install`. An installed
// copy wins over a fallback: a fallback applies only when Node finds none. An override applies
// always: the checkout's compiled CLI gives every plugin its own bundled @pgshift/plugin-api, the
// one instance whose classes the kernel knows.
let fallbacks = {};
let overrides = {};

export function initialize(data) {
  fallbacks = data?.fallbacks ?? {};
  overrides = data?.overrides ?? {};
}

export async function resolve(specifier, context, nextResolve) {
  const override = overrides[specifier];
  if (override) return nextResolve(override, context);
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fallback = fallbacks[specifier];
    if (fallback && error?.code === 'ERR_MODULE_NOT_FOUND') return nextResolve(fallback, context);
    throw error;
  }
}
