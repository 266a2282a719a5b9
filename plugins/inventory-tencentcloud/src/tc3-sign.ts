import { createHash, createHmac } from 'node:crypto';

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** Service name that scopes the signature: cvm, postgres, vpc. */
  service: string;
  /** Host header exactly as sent. */
  host: string;
  action: string;
  version: string;
  region?: string;
  token?: string;
  /** Unix seconds. */
  timestamp: number;
  /** The JSON body exactly as sent. */
  payload: string;
}

export const CONTENT_TYPE = 'application/json; charset=utf-8';
const ALGORITHM = 'TC3-HMAC-SHA256';

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/**
 * TC3-HMAC-SHA256 signature (Tencent Cloud API 3.0, signature v3): a canonical request over POST /,
 * the content-type and host headers and the hashed body; a string to sign scoped to
 * date/service/tc3_request; a key derived from "TC3" + SecretKey through date, service, tc3_request.
 */
export function tc3Signature(
  request: Omit<Tc3Request, 'secretId' | 'action' | 'version' | 'region' | 'token'>,
): {
  signature: string;
  credentialScope: string;
  signedHeaders: string;
} {
  const date = new Date(request.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${CONTENT_TYPE}\nhost:${request.host.toLowerCase()}\n`,
    signedHeaders,
    sha256Hex(request.payload),
  ].join('\n');
  const credentialScope = `${date}/${request.service}/tc3_request`;
  const stringToSign = [
    ALGORITHM,
    String(request.timestamp),
    credentialScope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const secretDate = hmac(`TC3${request.secretKey}`, date);
  const secretService = hmac(secretDate, request.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  const signature = createHmac('sha256', secretSigning).update(stringToSign, 'utf8').digest('hex');
  return { signature, credentialScope, signedHeaders };
}

/** The headers of a signed API 3.0 request. */
export function tc3Headers(request: Tc3Request): Record<string, string> {
  const { signature, credentialScope, signedHeaders } = tc3Signature(request);
  return {
    Authorization: `${ALGORITHM} Credential=${request.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    'Content-Type': CONTENT_TYPE,
    Host: request.host,
    'X-TC-Action': request.action,
    'X-TC-Version': request.version,
    'X-TC-Timestamp': String(request.timestamp),
    ...(request.region ? { 'X-TC-Region': request.region } : {}),
    ...(request.token ? { 'X-TC-Token': request.token } : {}),
  };
}
