/**
 * WebKitGTK's inspector server (libsoup) closes the WebSocket (1006) on any frame over 128 KiB,
 * which made `evaluate` of an expression over ~128 KB kill the session. Its limit is per frame,
 * not per message (measured: 64 MiB in 32 KiB fragments goes through), so large messages go out
 * as a fragmented text message. Replies are not limited (measured: 64 MiB).
 */
import type WebSocket from 'ws';

const MAX_FRAME_BYTES = 32 * 1024;

/** Sends `text` as one WebSocket text message in frames of at most `frameBytes` (UTF-8 sequences kept whole). */
export function sendInFrames(ws: WebSocket, text: string, callback: (error?: Error) => void, frameBytes = MAX_FRAME_BYTES): void {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= frameBytes) {
    ws.send(text, callback);
    return;
  }
  let failed = false;
  const onSent = (error?: Error): void => {
    if (!error || failed) return;
    failed = true;
    callback(error);
  };
  // One synchronous loop: nothing else can be sent between the fragments of this message.
  for (let start = 0; start < bytes.length; ) {
    let end = Math.min(start + frameBytes, bytes.length);
    // Back off to the start of a UTF-8 sequence (continuation bytes are 0b10xxxxxx).
    while (end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    const last = end === bytes.length;
    ws.send(bytes.subarray(start, end), { binary: false, fin: last }, last ? (error) => (error ? onSent(error) : failed || callback()) : onSent);
    start = end;
  }
}
