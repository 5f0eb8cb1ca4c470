import 'server-only';
/**
 * Reads a Web stream to its end as UTF-8, or stops (cancelling the stream) as soon as it
 * passes `limit` bytes and returns null: a too-large body is never buffered first. The one
 * capped reader for request bodies and for the documents fetched from Entra ID.
 */
export async function readCapped(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string | null> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
