/** A typed dependency-injection token: a unique symbol that remembers the type it stands for. */
export type Token<T> = symbol & { readonly __type?: T };

/** A token private to the module that makes it: two calls with one description are two tokens. */
export function createToken<T>(description: string): Token<T> {
  return Symbol(description) as Token<T>;
}

/**
 * A token of the plugin contract itself, the same in every copy of @pgshift/plugin-api: a plugin
 * installed with its own copy registers under the very symbols the host resolves.
 */
export function contractToken<T>(description: string): Token<T> {
  return Symbol.for(description) as Token<T>;
}

/** The type a token stands for. */
export type TokenType<K> = K extends Token<infer T> ? T : never;
