export { DisplayState } from './display-state.js';
export { LiveDisplay, type LiveDisplayOptions } from './live-display.js';
export { parsePort } from './parse-port.js';
export {
  createProgressOutput,
  type OutputKind,
  type ProgressOutput,
  type ProgressOutputOptions,
  wantsLive,
} from './progress-output.js';
export { bar, renderFrame } from './render-frame.js';
