import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PgshiftError } from '@pgshift/plugin-api';
import { tc3Headers } from './tc3-sign.js';

export interface ApiCredentials {
  secretId: string;
  secretKey: string;
  token?: string;
}

export interface ApiClientOptions {
  credentials: ApiCredentials;
  /** URL template; `{service}` is replaced by the service name. */
  endpoint: string;
  timeoutMs: number;
}

/** An API error answered in Response.Error. */
export class TencentCloudApiError extends PgshiftError {
  readonly apiCode: string;
  constructor(action: string, region: string | undefined, apiCode: string, message: string) {
    super(
      'PGSHIFT_CLOUD_API',
      `Tencent Cloud ${action}${region ? ` in ${region}` : ''} failed: ${apiCode}: ${message}`,
      {
        remedy: apiCode.startsWith('AuthFailure')
          ? 'check inventory.secretId and inventory.secretKey and the key’s permissions'
          : 'see the Tencent Cloud API error code reference',
        details: { action, region, apiCode },
      },
    );
    this.apiCode = apiCode;
  }
}

/** Signed JSON POST to one action; answers the `Response` object. */
export async function callApi(
  options: ApiClientOptions,
  service: string,
  action: string,
  version: string,
  region: string | undefined,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const url = new URL(options.endpoint.replaceAll('{service}', service));
  const payload = JSON.stringify(body);
  const { secretId, secretKey, token } = options.credentials;
  const headers = tc3Headers({
    secretId,
    secretKey,
    ...(token ? { token } : {}),
    service,
    host: url.host,
    action,
    version,
    ...(region ? { region } : {}),
    timestamp: Math.floor(Date.now() / 1000),
    payload,
  });
  const text = await post(url, headers, payload, options.timeoutMs, action);
  let parsed: { Response?: Record<string, unknown> & { Error?: { Code?: string; Message?: string } } };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PgshiftError(
      'PGSHIFT_CLOUD_API',
      `Tencent Cloud ${action} answered something that is not JSON`,
    );
  }
  const response = parsed.Response;
  if (!response)
    throw new PgshiftError('PGSHIFT_CLOUD_API', `Tencent Cloud ${action} answered without a Response`);
  if (response.Error) {
    // Messages may echo the SecretId; keep credentials out of every error.
    const message = String(response.Error.Message ?? '')
      .replaceAll(secretId, '[redacted]')
      .replaceAll(secretKey, '[redacted]');
    throw new TencentCloudApiError(action, region, String(response.Error.Code ?? 'UnknownError'), message);
  }
  return response;
}

function post(
  url: URL,
  headers: Record<string, string>,
  payload: string,
  timeoutMs: number,
  action: string,
): Promise<string> {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((done, reject) => {
    const req = send(url, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) =>
      reject(
        new PgshiftError(
          'PGSHIFT_CLOUD_API',
          `Tencent Cloud ${action} at ${url.host} failed: ${error.message}`,
          {
            remedy: 'check the network and inventory.endpoint',
          },
        ),
      ),
    );
    req.end(payload);
  });
}
