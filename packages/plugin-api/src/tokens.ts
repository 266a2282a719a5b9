/** A typed dependency-injection token: a unique symbol that remembers the type it stands for. */
export type Token<T> = symbol & { readonly __type?: T };

export function createToken<T>(description: string): Token<T> {
  return Symbol(description) as Token<T>;
}

/** The type a token stands for. */
export type TokenType<K> = K extends Token<infer T> ? T : never;
