import { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';

export type ChannelCallback = (error: Error | undefined, channel?: ClientChannel) => void;
export type ChannelOpener = (callback: ChannelCallback) => void;

/**
 * A socket-like Duplex over an SSH direct-tcpip channel, for node-postgres's `stream` option.
 * pg calls connect(port, host) and waits for 'connect', then setNoDelay/setKeepAlive/ref/unref,
 * which have no meaning on a channel. The channel opens asynchronously; writes wait for it.
 */
export class ForwardedStream extends Duplex {
  #open: ChannelOpener;
  #channel: ClientChannel | undefined;
  #waiting: Array<() => void> = [];
  connecting = false;

  constructor(open: ChannelOpener) {
    super({ allowHalfOpen: false });
    this.#open = open;
  }

  /** The target is fixed by the tunnel; pg's port and host arguments are the same values. */
  connect(): this {
    this.connecting = true;
    this.#open((error, channel) => {
      this.connecting = false;
      if (error || !channel) {
        this.destroy(error ?? new Error('the SSH jump host opened no channel'));
        return;
      }
      if (this.destroyed) {
        channel.close();
        return;
      }
      this.#channel = channel;
      channel.on('data', (chunk: Buffer) => {
        if (!this.push(chunk)) channel.pause();
      });
      channel.once('end', () => this.push(null));
      channel.once('close', () => {
        this.push(null);
        this.destroy();
      });
      channel.on('error', (e: Error) => this.destroy(e));
      for (const resume of this.#waiting.splice(0)) resume();
      this.emit('connect');
      this.emit('ready');
    });
    return this;
  }

  override _read(): void {
    this.#channel?.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const channel = this.#channel;
    if (!channel) {
      this.#waiting.push(() => this._write(chunk, encoding, callback));
      return;
    }
    channel.write(chunk, (error?: Error | null) => callback(error));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#channel?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#waiting.length = 0;
    this.#channel?.close();
    this.#channel = undefined;
    callback(error);
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setTimeout(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}
