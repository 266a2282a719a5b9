import { PLUGIN_API_VERSION } from './plugin.js';

function parse(version: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * Whether a plugin written against `apiVersion` runs on this plugin API: the same major, and a
 * minor this API already provides. The kernel refuses to load any other; the conformance suite
 * holds plugins to the same rule.
 */
export function apiVersionSupported(apiVersion: string, supported: string = PLUGIN_API_VERSION): boolean {
  const theirs = parse(apiVersion);
  const ours = parse(supported);
  return theirs !== undefined && ours !== undefined && theirs[0] === ours[0] && theirs[1] <= ours[1];
}
