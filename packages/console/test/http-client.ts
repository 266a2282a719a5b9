import { request as httpRequest } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request with full control of the headers (Host included, which fetch() sets itself),
 * no redirect followed. Every reply is also kept in `seen`, for the no-secret check.
 */
export function client(base: string) {
  const seen: Reply[] = [];
  let cookie = '';
  async function send(
    path: string,
    options: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {},
  ): Promise<Reply> {
    const url = new URL(path, base);
    const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
    const headers: Record<string, string> = {
      accept: 'text/html',
      ...(cookie ? { cookie } : {}),
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...options.headers,
    };
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = httpRequest(url, { method: options.method ?? 'GET', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
    const setCookie = reply.headers['set-cookie']?.[0];
    if (setCookie) cookie = setCookie.split(';')[0] ?? '';
    seen.push(reply);
    return reply;
  }
  return {
    send,
    seen,
    get cookie() {
      return cookie;
    },
    /** The CSRF token of the page last fetched. */
    csrfOf(reply: Reply): string {
      const token = /<meta name="csrf-token" content="([^"]*)">/.exec(reply.body)?.[1];
      if (!token) throw new Error(`no csrf-token meta in:\n${reply.body.slice(0, 500)}`);
      return token;
    },
  };
}
