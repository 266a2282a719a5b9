import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A local stand-in for the Tencent Cloud API 3.0 endpoint. It recomputes every request's
 * TC3-HMAC-SHA256 signature from what actually arrived (its own code, written from the documented
 * steps, not the plugin's) and answers in the documented response shapes.
 */
export interface MockCloud {
  url: string;
  /** Actions received with a valid signature, in order. */
  calls: { action: string; region: string | undefined; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

export interface MockCloudData {
  secretId: string;
  secretKey: string;
  instances?: Record<string, unknown>[];
  dbInstances?: Record<string, unknown>[];
  dcGateways?: Record<string, unknown>[];
  vpnGateways?: Record<string, unknown>[];
  vpcs?: Record<string, unknown>[];
}

const SERVICE_OF: Record<string, string> = {
  DescribeInstances: 'cvm',
  DescribeDBInstances: 'postgres',
  DescribeDirectConnectGateways: 'vpc',
  DescribeVpnGateways: 'vpc',
  DescribeVpcs: 'vpc',
};

const hex = (text: string) => createHash('sha256').update(text).digest('hex');

function verify(req: IncomingMessage, body: string, data: MockCloudData): string | undefined {
  const auth = req.headers.authorization ?? '';
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return 'AuthFailure.SignatureFailure';
  const [, id, date, service, signedHeaders, signature] = m as unknown as string[];
  if (id !== data.secretId) return 'AuthFailure.SecretIdNotFound';
  const action = String(req.headers['x-tc-action'] ?? '');
  if (SERVICE_OF[action] !== service) return 'AuthFailure.SignatureFailure';
  const timestamp = Number(req.headers['x-tc-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300)
    return 'AuthFailure.SignatureExpire';
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return 'AuthFailure.SignatureFailure';
  const names = (signedHeaders as string).split(';');
  if (!names.includes('host') || !names.includes('content-type')) return 'AuthFailure.SignatureFailure';
  const canonicalHeaders = names
    .map(
      (n) =>
        `${n}:${String(req.headers[n] ?? '')
          .trim()
          .toLowerCase()}\n`,
    )
    .join('');
  const canonical = `${req.method}\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${hex(body)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${hex(canonical)}`;
  let key: Buffer = createHmac('sha256', `TC3${data.secretKey}`)
    .update(date as string)
    .digest();
  key = createHmac('sha256', key)
    .update(service as string)
    .digest();
  key = createHmac('sha256', key).update('tc3_request').digest();
  const expected = createHmac('sha256', key).update(toSign).digest('hex');
  return expected === signature ? undefined : 'AuthFailure.SignatureFailure';
}

function answer(
  action: string,
  region: string | undefined,
  body: Record<string, unknown>,
  data: MockCloudData,
) {
  const inRegion = (items: Record<string, unknown>[] | undefined) =>
    (items ?? []).filter((i) => i.Region === undefined || i.Region === region);
  const ids = (key: string) => (body[key] as string[] | undefined) ?? [];
  switch (action) {
    case 'DescribeInstances': {
      const wanted = ids('InstanceIds');
      if (wanted.some((id) => !/^ins-[a-z0-9]+$/.test(id)))
        return { Error: { Code: 'InvalidInstanceId.Malformed', Message: 'instance id is malformed' } };
      const set = inRegion(data.instances).filter((i) => wanted.includes(i.InstanceId as string));
      return { TotalCount: set.length, InstanceSet: set };
    }
    case 'DescribeDBInstances': {
      const filter = (body.Filters as { Name: string; Values: string[] }[] | undefined)?.find(
        (f) => f.Name === 'db-instance-id',
      );
      const set = inRegion(data.dbInstances).filter((i) => filter?.Values.includes(i.DBInstanceId as string));
      return { TotalCount: set.length, DBInstanceSet: set };
    }
    case 'DescribeDirectConnectGateways': {
      const set = inRegion(data.dcGateways).filter((g) =>
        ids('DirectConnectGatewayIds').includes(g.DirectConnectGatewayId as string),
      );
      return { TotalCount: set.length, DirectConnectGatewaySet: set };
    }
    case 'DescribeVpnGateways': {
      const set = inRegion(data.vpnGateways).filter((g) =>
        ids('VpnGatewayIds').includes(g.VpnGatewayId as string),
      );
      return { TotalCount: set.length, VpnGatewaySet: set };
    }
    case 'DescribeVpcs': {
      const wanted = ids('VpcIds');
      const set = inRegion(data.vpcs).filter((v) => wanted.includes(v.VpcId as string));
      if (set.length === 0)
        return { Error: { Code: 'ResourceNotFound', Message: `${wanted.join(',')} not found` } };
      return { TotalCount: set.length, VpcSet: set };
    }
    default:
      return { Error: { Code: 'InvalidAction', Message: `unknown action ${action}` } };
  }
}

export async function startMockCloud(data: MockCloudData): Promise<MockCloud> {
  const calls: MockCloud['calls'] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const RequestId = `req-${++n}`;
      const action = String(req.headers['x-tc-action'] ?? '');
      const region = req.headers['x-tc-region'] as string | undefined;
      const failure = req.method === 'POST' ? verify(req, text, data) : 'InvalidParameter';
      let response: Record<string, unknown>;
      if (failure) {
        response = {
          Error: {
            Code: failure,
            Message: `The provided credentials could not be validated (SecretId ${data.secretId}).`,
          },
        };
      } else {
        const body = JSON.parse(text) as Record<string, unknown>;
        calls.push({ action, region, body });
        response = answer(action, region, body, data);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Response: { ...response, RequestId } }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
