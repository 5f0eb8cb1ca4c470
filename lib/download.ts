'use client';
import { currentAccessToken } from './access-token';

/**
 * Downloads a file from a console route that needs the console's credentials: a link
 * cannot carry the MSAL bearer token, so the file is fetched and handed to the browser.
 */
export async function downloadWithCredentials(url: string, fallbackName: string): Promise<string> {
  const headers: Record<string, string> = {};
  const token = await currentAccessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers, cache: 'no-store' });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string; issues?: { field: string; message: string }[] } | null;
    throw new Error(body?.message ?? body?.issues?.map((i) => `${i.field}: ${i.message}`).join('; ') ?? `The server answered ${res.status}.`);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
  return name;
}
